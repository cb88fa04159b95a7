"""XLSForm in and out (issue 20 §2): a workbook becomes a draft questionnaire, any questionnaire a workbook.

`reading.xlsform_read` (workbook → design, refused naming sheet / row / column), `writing.document_to_xlsform`
(form definition → workbook), `expressions` (XLSForm `relevant` ↔ CEL visibility), `services` (the import
service and the export of one questionnaire).
"""
from .reading import Problem, XLSFormRead, XLSFormRefused, xlsform_read
from .services import questionnaire_export_xlsform, questionnaire_import_xlsform, questionnaire_xlsform_document
from .writing import XLSFormExportRefused, document_to_xlsform

__all__ = ["Problem", "XLSFormExportRefused", "XLSFormRead", "XLSFormRefused", "document_to_xlsform",
           "questionnaire_export_xlsform", "questionnaire_import_xlsform", "questionnaire_xlsform_document", "xlsform_read"]
