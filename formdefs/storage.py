"""A formtools storage that keeps the wizard's state in the database (WizardDraft).

Keyed by user and the wizard prefix (which carries the owner's draft key), so a draft survives
logout, an expired session and a change of device. File uploads are not supported.
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

    def update_response(self, response):
        super().update_response(response)
        empty = not self.data.get(self.step_data_key) and not self.data.get(self.extra_data_key)
        if empty:
            if self._saved is not None:
                services.wizard_draft_delete(user=self.user, key=self.prefix)
            return
        snapshot = json.dumps(self.data, sort_keys=True)
        if snapshot != self._saved:
            services.wizard_draft_save(user=self.user, key=self.prefix, data=self.data,
                                       version_id=self.data.get(self.extra_data_key, {}).get("version"))
            self._saved = snapshot
