from django.conf import settings


def test_platform_is_a_source_root_not_a_package():
    assert not (settings.BASE_DIR / "platform" / "__init__.py").exists()


def test_stdlib_platform_module_is_not_shadowed():
    import platform

    assert callable(platform.system) and platform.system()
