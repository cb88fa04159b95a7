from django.core.management import call_command


def test_celery_ping_runs_a_real_task(capsys):
    call_command("celery_ping", "--timeout", "5")
    assert "pong" in capsys.readouterr().out
