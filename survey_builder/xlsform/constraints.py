"""The survey sheet's `constraint` and `*_message` columns read into a question's checks (校验): bounds of
numbers, lengths and patterns of texts, how many choices; one message per question."""
import re

from django.utils.translation import gettext as _

from ..design.questions import MAX_MESSAGE
from ..enums import FillKind, QuestionType


class ConstraintReader:
    """Part of the survey sheet's reader (`reading._Reader`): a row's constraint and messages."""

    def _message(self, sheet, number, row, question):
        messages = [(column, sheet.texts(number, row, column)[0]) for column in ("required_message", "constraint_message")]
        given = {text for _c, text in messages if text}
        if len(given) > 1:
            sheet.refuse(number, "constraint_message", _("a question has one message: write the same text in "
                                                         "required_message and constraint_message, or only one."))
        elif given:
            message = given.pop()
            if len(message) > MAX_MESSAGE:
                sheet.refuse(number, messages[0][0] if messages[0][1] else messages[1][0],
                             _("a message has at most %(n)s characters.") % {"n": MAX_MESSAGE})
            question["validation"]["message"] = message

    def _constraint(self, sheet, number, row, question):
        source = (row.get("constraint") or "").strip()
        if not source:
            return
        checks = question["validation"]
        qtype = question["type"]
        number_fill = checks.get("kind") == FillKind.NUMBER
        for part in re.split(r"\s+and\s+", source):
            part = part.strip()
            match = re.fullmatch(r"\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)", part)
            length = re.fullmatch(r"string-length\(\s*\.\s*\)\s*(>=|<=)\s*(\d+)", part)
            count = re.fullmatch(r"count-selected\(\s*\.\s*\)\s*(>=|<=)\s*(\d+)", part)
            regex = re.fullmatch(r"regex\(\s*\.\s*,\s*'([^']*)'\s*\)", part)
            if match and number_fill:
                op, value = match.group(1), float(match.group(2))
                if op in (">", "<"):
                    if not question.get("integer") or not value.is_integer():
                        sheet.refuse(number, "constraint", _("use >= or <= (a strict bound is kept for integers only)."))
                        continue
                    value, op = (value + 1, ">=") if op == ">" else (value - 1, "<=")
                value = int(value) if value.is_integer() else value
                checks["minimum" if op == ">=" else "maximum"] = value
            elif length and qtype in (QuestionType.FILL, QuestionType.ESSAY) and not number_fill:
                checks["min_length" if length.group(1) == ">=" else "max_length"] = int(length.group(2))
            elif count and qtype in (QuestionType.MULTIPLE, QuestionType.MULTIPLE_OTHER):
                checks["min_selections" if count.group(1) == ">=" else "max_selections"] = int(count.group(2))
            elif regex and qtype == QuestionType.FILL and not number_fill:
                try:
                    re.compile(regex.group(1))
                except re.error:
                    sheet.refuse(number, "constraint", _("the pattern is not a valid regular expression."))
                    continue
                checks["pattern"] = regex.group(1)
            else:
                sheet.refuse(number, "constraint", _("“%(part)s” cannot be expressed: numbers take . >= n / . <= n, texts "
                                                     "string-length(.) and regex(., '…'), multiple choices count-selected(.).")
                             % {"part": part})
