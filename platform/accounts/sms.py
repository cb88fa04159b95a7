"""The SMS gateway: a small backend interface, chosen by the SMS_BACKEND setting.

Every backend records the message in the outbox table (SmsMessage), so operators and the demo
can see what was sent; a provider backend additionally delivers it.
"""
import logging

from django.conf import settings
from django.utils.module_loading import import_string

from .models import SmsMessage

logger = logging.getLogger(__name__)


class BaseBackend:
    """Subclass and implement `deliver(mobile, text)` to plug in a real SMS provider."""

    def send(self, *, mobile: str, text: str, purpose: str) -> SmsMessage:
        message = SmsMessage.objects.create(
            mobile=mobile, text=text, purpose=purpose, backend=f"{type(self).__module__}.{type(self).__name__}"
        )
        self.deliver(mobile=mobile, text=text)
        return message

    def deliver(self, *, mobile: str, text: str) -> None:
        raise NotImplementedError


class OutboxBackend(BaseBackend):
    """Default: keeps messages in the outbox only (read them with `manage.py sms_outbox`)."""

    def deliver(self, *, mobile: str, text: str) -> None:
        return None


class ConsoleBackend(BaseBackend):
    """Development: also prints each message to the log."""

    def deliver(self, *, mobile: str, text: str) -> None:
        logger.warning("SMS to %s: %s", mobile, text)


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()
