"""The designer's state (问卷设计) and what can be done to it, as plain functions over a dict.

A design is what the six designer steps edit; nobody types JSON. Enabling compiles it into a form
definition (`document_build`) that the engine runs and `formdef check` accepts:

    {"numbering": true,
     "questions": [{"id": "q1", "type": "single", "text": "…",
                    "options": [{"id": "o1", "label": "良好", "specify": false}, …],   # choice and matrix types
                    "rows": [{"id": "r1", "label": "…"}],                             # matrix types
                    "branches": {"o1": "q3", "o2": "end"},                            # single-choice types
                    "validation": {"required": true, "min_selections": 1, "message": "…"},
                    "per_row": 2}]}

Question, option and row ids are stable: they are the answers' keys and values, so editing texts or
order keeps branches and statistics meaningful. New ids are never reused within a design.
"""
from .branches import *  # noqa: F401,F403
from .checks import *  # noqa: F401,F403
from .conditions import *  # noqa: F401,F403
from .document import *  # noqa: F401,F403
from .questions import *  # noqa: F401,F403
