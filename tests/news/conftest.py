"""Editors and publishers with logged-in clients, in the roles the migrations create (library rights included),
and a real SMTP server for the notifications."""

import email
import email.policy
import socket

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.helpers import ensure_roles


def _member(django_user_model, name, group):
    ensure_roles()
    user = django_user_model.objects.create_user(name, password=f"pw-{name}-123", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor(db, django_user_model):
    return _member(django_user_model, "eddie", "Editors")


@pytest.fixture
def publisher(db, django_user_model):
    return _member(django_user_model, "pat", "Publishers")


class Inbox:
    """What the test SMTP server received: (envelope recipients, parsed message) pairs."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.received.append((sorted(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for recipients, message in self.received if address in recipients]

    def recipients(self):
        return sorted(address for recipients, _message in self.received for address in recipients)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _send_through(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd in a thread) that Django's SMTP backend sends to; its
    inbox is what the test gets."""
    from aiosmtpd.controller import Controller  # here: only the notification tests need the package

    controller = Controller(Inbox(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    _send_through(settings, controller.port)
    try:
        yield controller.handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_refusing(settings):
    """An SMTP address where nothing listens: the port is held (bound, never listening), so every
    connection is refused."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        _send_through(settings, held.getsockname()[1])
        yield
