"""The progress block of a background task (`ops.task_base.BackgroundTask`), shared by the pages that show one.

The block is `ops/_task_progress.html`, extended by each app's partial for its own counts; while
the task is queued or running it asks htmx to fetch itself again every second.
"""
from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.urls import reverse

from .task_base import BackgroundTask


@dataclass(frozen=True)
class TaskProgress:
    """How one kind of task shows its progress.

    `template` extends `ops/_task_progress.html`; `url_name` is the poll view's URL name (one
    argument, the task's id); `name` prefixes the block's element id and test ids ("job" gives
    `job-progress`, `job-status`, `job-percent`); `reload_when_finished` reloads the whole page once
    the task ends, for pages that list its results below the block.
    """

    template: str
    url_name: str
    name: str
    reload_when_finished: bool = False

    def context(self, task: BackgroundTask) -> dict:
        """What the block needs; merge it into the context of a page that includes the block."""
        return {"task": task, "progress_url": reverse(self.url_name, args=[task.pk]), "progress_name": self.name}

    def response(self, request, task: BackgroundTask) -> TemplateResponse:
        """The block alone: the answer to the poll."""
        response = TemplateResponse(request, self.template, self.context(task))
        if self.reload_when_finished and task.is_finished and request.headers.get("HX-Request"):
            response["HX-Refresh"] = "true"
        return response
