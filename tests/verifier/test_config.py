from pathlib import Path

import pytest

from verifier.config import ConfigError, Settings


def test_settings_come_from_the_environment_mapping(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "SCEAU_INSTANCE": str(tmp_path),
            "DATABASE_URL": "postgres://u@db:5432/sceau",
            "SCEAU_SEAL_BASE_URL": "https://sceau.ofii.fr",
            "SCEAU_KEY_PASSPHRASE": "s3cret",
            "SCEAU_PORT": "9000",
        }
    )
    assert settings.instance_path == tmp_path.resolve()
    assert settings.database_url == "postgresql+psycopg://u@db:5432/sceau"
    assert settings.seal_base_url == "https://sceau.ofii.fr"
    assert settings.key_passphrase == b"s3cret"
    assert settings.port == 9000
    assert "s3cret" not in repr(settings)


def test_defaults_put_everything_in_the_instance_folder(tmp_path: Path) -> None:
    settings = Settings.from_env({"SCEAU_INSTANCE": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'sceau.db'}"
    assert settings.key_passphrase is None
    assert settings.passphrase_file == tmp_path.resolve() / "keys" / "passphrase"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize(
    "base",
    ["ftp://x.fr", "https://sceau.fr/", "https://sceau.fr/?q=1", "https://my_host.fr", "sceau.fr"],
)
def test_a_seal_base_url_that_would_break_the_qr_is_refused(tmp_path: Path, base: str) -> None:
    with pytest.raises(ConfigError, match="alphanumeric"):
        Settings(instance_path=tmp_path, seal_base_url=base)


def test_a_bad_port_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        Settings.from_env({"SCEAU_INSTANCE": str(tmp_path), "SCEAU_PORT": "http"})


def test_upload_size_rate_limit_and_redis_come_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "SCEAU_INSTANCE": str(tmp_path),
            "SCEAU_MAX_UPLOAD_MB": "5",
            "SCEAU_VERIFY_RATE_LIMIT": "10 per minute",
            "SCEAU_REDIS_URL": "redis://127.0.0.1:6379/2",
        }
    )
    assert settings.max_upload_bytes == 5 * 1024 * 1024
    assert settings.verify_rate_limit == "10 per minute"
    assert settings.redis_url == "redis://127.0.0.1:6379/2"
    assert not Settings.from_env({"SCEAU_INSTANCE": str(tmp_path)}).redis_url


@pytest.mark.parametrize("value", ["lots", "3 per fortnight", "per minute", ""])
def test_a_nonsense_rate_limit_is_refused_at_start(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="SCEAU_VERIFY_RATE_LIMIT"):
        Settings.from_env({"SCEAU_INSTANCE": str(tmp_path), "SCEAU_VERIFY_RATE_LIMIT": value})


@pytest.mark.parametrize("value", ["0", "-1", "lots", ""])
def test_a_nonsense_upload_limit_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="SCEAU_MAX_UPLOAD_MB"):
        Settings.from_env({"SCEAU_INSTANCE": str(tmp_path), "SCEAU_MAX_UPLOAD_MB": value})
