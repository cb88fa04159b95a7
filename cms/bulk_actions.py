"""The document library's bulk actions (批量移动 / 批量复制 / 批量删除) as Wagtail bulk actions.

The listing's checkboxes send "file-<id>" and "folder-<id>" ids (selectors.LibraryEntry.pk) to
/admin/bulk/cms/libraryfile/<move|copy|delete>/; the ids are scoped by `selectors.library_items_for_change`
(an item the user may see but not change is listed on the confirm page and left alone; one it cannot see is
ignored), then one service does the change, all or nothing, and the message counts what changed.
"""
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _, ngettext

from accounts.listing import ScopedBulkAction

from . import selectors as sel
from . import services
from .enums import LibrarySpace
from .models import LibraryFile
from .templatetags.cms_tags import tree_label


class TargetFolderForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Target folder"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose…"))]
        for space in (LibrarySpace.ORGANISATION, LibrarySpace.PERSONAL):
            folders = sel.folders_addable(user, space=space)
            if folders:
                choices.append((str(LibrarySpace(space).label), [(f.pk, tree_label(f)) for f in folders]))
        self.fields["target"].choices = choices
        self.fields["target"].error_messages["required"] = _("Choose a target folder.")


class LibraryBulkAction(ScopedBulkAction):
    """`change` moves, copies or deletes the files and folders (all or nothing) and returns how many changed."""

    models = [LibraryFile]
    template_name = "cms/admin/bulk_confirm.html"
    header_icon = "folder-open-inverse"
    page_subtitle = _("Documents")
    stylesheet = "cms/library.css"

    def dispatch(self, request, *args, **kwargs):
        sel.library_require(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_actionable_objects(self):
        ids = self.request.GET.getlist("id")
        if "all" in ids:  # the footer offers no "select all in listing": a listing spans folders and a search
            raise Http404
        files, folders, no_access = sel.library_items_for_change(self.request.user, ids)
        if not (files or folders or no_access):
            raise Http404
        return folders + files, {"items_with_no_access": no_access}

    def perform(self, objects, form) -> int:
        files = [o for o in objects if isinstance(o, LibraryFile)]
        folders = [o for o in objects if not isinstance(o, LibraryFile)]
        if not objects:
            raise ValidationError(_("You cannot change any of the selected items."))
        with transaction.atomic():
            return self.change(files, folders, form)

    def change(self, files, folders, form) -> int:
        raise NotImplementedError

    def refusal(self, exc) -> str:
        return super().refusal(exc) if isinstance(exc, ValidationError) else \
            str(_("You cannot change one of the selected items."))

    def report(self, count) -> None:
        super().report(self.success_message(count))

    def success_message(self, count) -> str:
        raise NotImplementedError


class _TargetBulkAction(LibraryBulkAction):
    form_class = TargetFolderForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def _target(self, form):
        return sel.folder_get_for_view(self.request.user, form.cleaned_data["target"])


class MoveBulkAction(_TargetBulkAction):
    """批量移动 into a folder the user may add to (in either space)."""

    display_name = _("Move")
    action_type = "move"
    aria_label = _("Move the selected items")
    help_text = _("The selected files and folders, with everything in them, move into the target folder; a name "
                  "already used there gets a number.")
    action_priority = 10

    def change(self, files, folders, form) -> int:
        return services.library_items_move(actor=self.request.user, files=files, folders=folders,
                                           target=self._target(form))

    def success_message(self, count):
        return ngettext("%(count)d item moved.", "%(count)d items moved.", count) % {"count": count}


class CopyBulkAction(_TargetBulkAction):
    """批量复制 into a folder the user may add to (the latest version of each file)."""

    display_name = _("Copy")
    action_type = "copy"
    aria_label = _("Copy the selected items")
    help_text = _("The selected files (their latest version) and folders, with everything in them, are copied into "
                  "the target folder.")
    action_priority = 20

    def get_actionable_objects(self):
        objects, no_access = super().get_actionable_objects()  # a copy needs only to see the item
        return objects + no_access["items_with_no_access"], {"items_with_no_access": []}

    def change(self, files, folders, form) -> int:
        return services.library_items_copy(actor=self.request.user, files=files, folders=folders,
                                           target=self._target(form))

    def success_message(self, count):
        return ngettext("%(count)d item copied.", "%(count)d items copied.", count) % {"count": count}


class DeleteBulkAction(LibraryBulkAction):
    """批量删除, with everything inside the chosen folders and every stored version."""

    display_name = _("Delete")
    action_type = "delete"
    aria_label = _("Delete the selected items")
    help_text = _("The selected files and folders are deleted with everything in them and every version. This "
                  "cannot be undone.")
    classes = {"serious"}
    action_priority = 30

    def change(self, files, folders, form) -> int:
        return services.library_items_delete(actor=self.request.user, files=files, folders=folders)

    def success_message(self, count):
        return ngettext("%(count)d item deleted.", "%(count)d items deleted.", count) % {"count": count}
