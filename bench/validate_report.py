"""Full validation of a complete monthly report vs the bare, reused jsonschema validator.

Full = visibility + answer schema + required answers + computed values + every rule (CEL).
Run: python bench/validate_report.py   (prints the ratio last; goal ≤ 2.0)
"""
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform"), str(ROOT / "tests" / "formdefs")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

import timing  # noqa: E402  (bench/timing.py)

django.setup()

from conftest import context, report_answers  # noqa: E402  (the golden-test report)

from formdefs.engine import compile_document  # noqa: E402


def best(fn):
    return timing.best(fn, rounds=7, number=200)


def main():
    document = json.loads((ROOT / "formdefs" / "definitions" / "sme_monthly_report.json").read_text(encoding="utf-8"))
    compiled = compile_document(document)
    answers, ctx = report_answers(), context(month=5, prev=True, last_year={"ind": {
        "revenue": {"month": 90.0, "ytd": 400.0}, "gross_output": {"month": 90.0, "ytd": 400.0}}})
    result = compiled.validate(answers, ctx)
    assert result.issues == [], result.issues
    kept = result.answers
    validator = compiled.validator
    full = best(lambda: compiled.validate(answers, ctx))
    bare = best(lambda: list(validator.iter_errors(kept)))
    print(f"rules: {len(compiled.rules)} evaluated, skipped: {len(result.skipped_rules)}")
    print(f"full validation: {full * 1e3:.3f} ms")
    print(f"bare jsonschema: {bare * 1e3:.3f} ms")
    print(f"ratio {full / bare:.2f}")


if __name__ == "__main__":
    main()
