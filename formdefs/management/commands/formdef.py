"""`formdef check FILE…` (exit 1, one line per problem) and `formdef publish FILE…`."""
import json

from django.core.management.base import BaseCommand, CommandError

from formdefs.engine import definition_check
from formdefs.services import DefinitionInvalid, formdef_file_read, formdef_publish_document


class Command(BaseCommand):
    help = "Check or publish form-definition JSON files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Check definitions; exit 1 listing every problem.")
        check.add_argument("files", nargs="+")
        publish = sub.add_parser("publish", help="Check and publish definitions (idempotent).")
        publish.add_argument("files", nargs="+")

    def handle(self, *args, action, files, **options):
        failed = False
        for name in files:
            try:
                document = formdef_file_read(name)
            except (OSError, json.JSONDecodeError) as exc:
                self.stdout.write(f"{name}: $: cannot read: {exc}")
                failed = True
                continue
            if action == "check":
                problems = definition_check(document)
                for problem in problems:
                    self.stdout.write(f"{name}: {problem}")
                failed = failed or bool(problems)
                if not problems:
                    self.stdout.write(f"{name}: ok")
                continue
            try:
                version = formdef_publish_document(document=document)
            except DefinitionInvalid as exc:
                for problem in exc.problems:
                    self.stdout.write(f"{name}: {problem}")
                failed = True
                continue
            self.stdout.write(f"{name}: published {version.definition.key} v{version.number}")
        if failed:
            raise CommandError("form definitions have problems", returncode=1)
