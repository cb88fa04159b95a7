"""A formtools storage that keeps the wizard's state in the database (WizardDraft).

Keyed by user and the wizard prefix (which carries the owner's draft key), so a draft survives
logout, an expired session and a change of device. File uploads are not supported.

Optimistic concurrency: the storage remembers the draft's `revision` as loaded and writes only if it
is still the stored one (`services.wizard_draft_save(expected_revision=...)`), so a request that raced
another window's save raises `services.DraftStale` instead of overwriting it. That happens in
update_response, after the view may have saved the owner's answers: the wizard view runs a writing post
in one transaction (`DefinitionWizardView.dispatch`), so the refusal undoes that save too.
"""
import json

from formtools.wizard.storage.base import BaseStorage

from . import selectors, services


class DatabaseStorage(BaseStorage):
    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.user = request.user
        draft = selectors.wizard_draft_get(user=self.user, key=self.prefix)
        self.data = draft.data if draft and draft.data else None
        if not self.data:
            self.init_data()
        self._saved = json.dumps(self.data, sort_keys=True) if draft else None
        self._saved_content = self._content() if draft else None
        #: The stored draft's revision (0: none); after update_response, the one this request left.
        self.revision = draft.revision if draft else 0
        self._keep_stored = False

    def keep_stored(self) -> None:
        """Write nothing at the end of this request (a refused stale post: the stored draft stays as it is)."""
        self._keep_stored = True

    def current_revision(self) -> int:
        """The revision for the page being rendered: templates call it when the response is rendered,
        which is after update_response wrote this request's changes."""
        return self.revision

    def update_response(self, response):
        super().update_response(response)
        if self._keep_stored:
            return
        empty = not self.data.get(self.step_data_key) and not self.data.get(self.extra_data_key)
        if empty:
            if self._saved is not None:
                services.wizard_draft_delete(user=self.user, key=self.prefix)
                self._saved, self._saved_content, self.revision = None, None, 0
            return
        snapshot = json.dumps(self.data, sort_keys=True)
        if snapshot != self._saved:
            content = self._content()
            self.revision = services.wizard_draft_save(
                user=self.user, key=self.prefix, data=self.data, expected_revision=self.revision,
                version_id=self.data.get(self.extra_data_key, {}).get("version"), bump=content != self._saved_content)
            self._saved, self._saved_content = snapshot, content

    def _content(self) -> str:
        """The draft without the step shown: what a new revision is counted on."""
        return json.dumps({k: v for k, v in self.data.items() if k != self.step_key}, sort_keys=True)
