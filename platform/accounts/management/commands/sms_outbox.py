from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import SmsMessage


class Command(BaseCommand):
    help = "Print the latest SMS messages in the outbox (to read demo login codes)."

    def add_arguments(self, parser):
        parser.add_argument("--last", type=int, default=5, help="how many messages (default 5)")
        parser.add_argument("--mobile", default="", help="only messages to this mobile")

    def handle(self, *args, last, mobile, **options):
        qs = SmsMessage.objects.all()
        if mobile:
            qs = qs.filter(mobile=mobile)
        for message in reversed(list(qs[:last])):
            self.stdout.write(f"{timezone.localtime(message.created_at):%Y-%m-%d %H:%M:%S} {message.mobile} {message.text}")
