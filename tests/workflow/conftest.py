from tests.reporting.conftest import (  # noqa: F401  (fixtures shared with the reporting tests)
    admins, enterprise, filler, monthly_setup, period, report_type, reports)
