from .preview import AnswerView, DemoWizardView, PreviewDoneView, PreviewWizardView
from .wizard import DefinitionWizardView

__all__ = ["AnswerView", "DefinitionWizardView", "DemoWizardView", "PreviewDoneView", "PreviewWizardView"]
