"""共享组 views in the Wagtail admin: list and create, rename, delete, members."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from cms import selectors as sel
from cms import services

from .library import render_admin


def group_list(request):
    sel.library_require(request.user)
    if request.method == "POST":
        try:
            group = services.share_group_create(actor=request.user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("cms_library:groups")
        messages.success(request, _("Share group %(name)s created.") % {"name": group.name})
        return redirect("cms_library:group", group.pk)
    return render_admin(
        request, "cms/admin/groups.html", title=_("Share groups"), icon="group",
        groups=sel.share_groups_for(request.user).prefetch_related("members"),
    )


def group(request, group_id):
    group = sel.share_group_get_for_manage(request.user, group_id)
    members = group.members.order_by("username")
    return render_admin(
        request, "cms/admin/group.html", title=group.name, icon="group",
        crumbs=[{"url": reverse("cms_library:groups"), "label": _("Share groups")}],
        group=group, members=members,
        candidates=sel.share_group_candidates(request.user).exclude(pk__in=members.values("pk")),
        shares=group.shares.select_related("file", "folder", "shared_by"),
    )


@require_POST
def group_action(request, group_id):
    group = sel.share_group_get_for_manage(request.user, group_id)
    action = request.POST.get("action")
    try:
        if action == "rename":
            services.share_group_rename(actor=request.user, group=group, name=request.POST.get("name", ""))
            messages.success(request, _("Renamed."))
        elif action == "delete":
            services.share_group_delete(actor=request.user, group=group)
            messages.success(request, _("Share group deleted."))
            return redirect("cms_library:groups")
        elif action in ("member_add", "member_remove"):
            member = User.objects.filter(pk=request.POST.get("user") or 0).first()
            if member is None:
                raise ValidationError(_("Choose an administrator."))
            if action == "member_add":
                services.share_group_member_add(actor=request.user, group=group, user=member)
                messages.success(request, _("%(user)s added.") % {"user": member.username})
            else:
                services.share_group_member_remove(actor=request.user, group=group, user=member)
                messages.success(request, _("%(user)s removed.") % {"user": member.username})
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("cms_library:group", group.pk)
