"""The form-definition engine: compile, validate, evaluate rules and computed values, branch."""
from .checks import Problem, definition_check
from .compiler import CompiledForm, compile_document, document_checksum
from .results import Issue, RuleContext, ValidationResult

__all__ = ["CompiledForm", "Issue", "Problem", "RuleContext", "ValidationResult", "compile_document",
           "definition_check", "document_checksum"]
