from ops.task_base import TaskStatus


#: The status of every task model (ops.task_base); the name this app used before it was shared.
ExportStatus = TaskStatus


#: Rows written between two progress updates of a running job.
PROGRESS_EVERY = 2000

#: An export of more rows than this runs as a background job (setting EXPORT_SYNC_MAX_ROWS).
SYNC_MAX_ROWS_DEFAULT = 5000
