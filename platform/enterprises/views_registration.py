"""Registration pages: the wizard (/enterprise/register/) and the status page (/enterprise/registration/)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from formdefs import services as formdef_services
from formdefs.views import DefinitionWizardView
from regions.enums import EnterpriseSize

from .enums import RegistrationStatus
from .owners import RegistrationOwner
from .selectors import enterprise_registration_of, enterprise_size_for_answers, registration_draft_exists, registration_refusal

SIZE_ACTION = "size"


class RegistrationWizardView(DefinitionWizardView):
    """企业信息注册 on the engine: 暂存 keeps the draft, 提交审核 calls `enterprise_register`.

    Adds one wizard action, `size` (重新计算企业规模): the size computed from the industry and
    last year's figures, as JSON for the page script or by re-rendering the form without it.
    """

    template_name = "enterprises/registration_wizard.html"

    def get_owner(self):
        return RegistrationOwner(user=self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            refusal = registration_refusal(request.user)
            if refusal:
                messages.info(request, refusal)
                return redirect("enterprises:registration")
        return super().dispatch(request, *args, **kwargs)

    def post(self, *args, **kwargs):
        if self.request.POST.get("wizard_action") == SIZE_ACTION:
            return self.size_recompute()
        return super().post(*args, **kwargs)

    def size_recompute(self):
        form = self.get_form(data=self.request.POST)
        size = enterprise_size_for_answers(form.peek())
        if size:
            message = _("Enterprise size recomputed: %(size)s.") % {"size": EnterpriseSize(size).label}
        else:
            message = _("Choose the industry and enter last year's revenue, employees and total assets to compute the size.")
        if self.request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"size": size, "message": message})
        data = self.request.POST.copy()
        for key in ("csrfmiddlewaretoken", "wizard_action"):
            data.pop(key, None)
        if size:
            data["size"] = size
        self.storage.set_step_data(self.steps.current, data)
        (messages.success if size else messages.warning)(self.request, message)
        return self.render(self.get_form(data=data))

    def done(self, form_list, **kwargs):
        # As DefinitionWizardView.done, but a refusal keyed by answer id (企业名称已存在) is shown on its field.
        answers = {}
        for form in form_list:
            answers.update(form.answers)
        try:
            url = formdef_services.wizard_finish(owner=self.owner, answers=answers, actor=self.request.user)
        except formdef_services.SubmissionBlocked as exc:
            form = form_list[-1]
            errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for field, field_errors in errors.items():
                for error in field_errors:
                    form.add_error(field if field in form.fields else None, error)
            messages.error(self.request, _("Not submitted: correct the errors below."))
            return self.render(form)
        messages.success(self.request, _("Your registration was submitted for review."))
        return redirect(url)


@login_required
def registration_status(request):
    """注册状态: pending (待审核) or returned (退回, with the reason) until the registration is approved."""
    enterprise = enterprise_registration_of(request.user)
    has_draft = enterprise is None and registration_draft_exists(request.user)
    return render(request, "enterprises/registration_status.html", {
        "enterprise": enterprise, "S": RegistrationStatus, "has_draft": has_draft,
        "can_register": request.user.is_enterprise_user and not request.user.is_administrator,
    })
