"""报送回执 and 回执核验 (issue 21 §3): the filler's printable receipt after 上报 and the public check of one.

Views parse input, call one selector (`reporting.receipt`) and render.
"""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.client_address import client_address
from enterprises.selectors import enterprises_for_user

from .models import Submission
from .receipt import (Verdict, receipt_check_failure_record, receipt_check_refused_until, receipt_code_normalize,
                      receipt_verify, submission_progress, submission_receipt)
from .selectors import submission_for_enterprise


class ReceiptVerifyForm(forms.Form):
    """回执核验: the submission id and the verification code as printed on the receipt."""

    id = forms.IntegerField(
        label=_lazy("Submission ID"), min_value=1, max_value=2**63 - 1,
        error_messages={"invalid": _lazy("Enter the submission ID as printed on the receipt (digits only)."),
                        "required": _lazy("Enter the submission ID printed on the receipt.")})
    code = forms.CharField(
        label=_lazy("Verification code"), max_length=32, help_text=_lazy("10 characters, e.g. 7K3Q-9XPA-2M."),
        error_messages={"required": _lazy("Enter the verification code printed on the receipt.")})

    def clean_code(self):
        code = receipt_code_normalize(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(_("The verification code has 10 letters and digits, e.g. 7K3Q-9XPA-2M."))
        return code


def submitted_message(submission: Submission) -> str:
    """The success message after 上报, with the link to the report's receipt (上报成功 · 查看报送回执)."""
    return format_html('{} <a href="{}" data-testid="receipt-link">{}</a>',
                       _("Submitted. The report is now waiting for review."),
                       reverse("reporting:receipt", args=[submission.pk]), _("View the receipt"))


@login_required
def receipt(request, pk):
    """报送回执: printable (A4 portrait), for a report of the user's enterprise under review or approved."""
    try:
        submission = submission_for_enterprise(pk=pk, enterprises=enterprises_for_user(request.user))
    except Submission.DoesNotExist:
        raise Http404
    found = submission_receipt(submission)
    if found is None:
        messages.info(request, _("This report has no receipt now: a receipt is issued when the report is submitted."))
        return redirect("reporting:detail", pk)
    verify_url = request.build_absolute_uri(reverse("receipt_verify"))
    return render(request, "reporting/receipt.html", {
        "submission": submission, "receipt": found, "progress": submission_progress(submission),
        "verify_url": verify_url,
        "verify_link": f"{verify_url}?id={submission.pk}&code={found.code}"})


def receipt_check(request):
    """回执核验 (public, no login): submission id + code → valid (who, which report, when) or not; no figures."""
    form = ReceiptVerifyForm(request.GET or None)
    verification = None
    if form.is_bound and form.is_valid():
        address = client_address(request)
        refused_until = receipt_check_refused_until(address)
        if refused_until is not None:
            form.add_error(None, _("Too many codes from your address did not verify; please try again after %(time)s.")
                           % {"time": timezone.localtime(refused_until).strftime("%H:%M")})
        else:
            verification = receipt_verify(submission_id=form.cleaned_data["id"], code=form.cleaned_data["code"])
            if verification.verdict == Verdict.INVALID:
                receipt_check_failure_record(address)
    return render(request, "reporting/receipt_verify.html", {"form": form, "verification": verification})
