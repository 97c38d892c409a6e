"""`dev up --identity keycloak`: the whole stack on Keycloak's tokens, `dev token` asking
Keycloak, and `dev down` leaving nothing running (Keycloak included)."""

from __future__ import annotations

import json
import ssl
import urllib.request
from pathlib import Path

import pytest

from broker.devtools.processes import pid_alive
from tests.integration.test_dev_stack import iom_broker
from tests.support.keycloak_session import token_claims

pytestmark = pytest.mark.kafka


def test_dev_up_on_keycloak_serves_tokens_and_dev_down_stops_it(tmp_path: Path) -> None:
    """dev up --identity keycloak records the realm's issuer, token and JWKS URLs and a ready
    API reaching Kafka; dev token prints Keycloak's tokens (Kafka's audience for an agency,
    the API's alone for a DPO); dev down ends every process, Keycloak's too."""
    state = tmp_path / "stack"
    up = iom_broker("dev", "up", "--state", str(state), "--identity", "keycloak")
    assert up.returncode == 0, up.stderr[-2000:]
    try:
        info = json.loads((state / "stack.json").read_text())
        assert info["identity_provider"] == "keycloak"
        assert info["token_issuer_url"].endswith("/realms/iom")
        assert info["token_url"].startswith(info["token_issuer_url"])
        pids = [info["router_pid"], info["log_writer_pid"], info["api_pid"]]
        pids += [info["statistics_pid"], info["keycloak_pid"]]
        assert all(pid_alive(pid) for pid in pids)
        tls = ssl.create_default_context(cafile=info["ca_file"])
        with urllib.request.urlopen(f"{info['api_url']}/readyz", timeout=10, context=tls) as ready:
            assert json.loads(ready.read())["checks"]["kafka"] == "ok"
        agency = iom_broker("dev", "token", "--state", str(state), "--agency", "gwent-police")
        dpo = iom_broker("dev", "token", "--state", str(state), "--dpo", "gwent-police")
        assert agency.returncode == 0 and dpo.returncode == 0, agency.stderr + dpo.stderr
        assert "iom-kafka" in token_claims(agency.stdout.strip())["aud"]
        assert token_claims(dpo.stdout.strip())["aud"] == "iom-broker"
    finally:
        down = iom_broker("dev", "down", "--state", str(state))
    assert down.returncode == 0, down.stderr[-2000:]
    assert not any(pid_alive(pid) for pid in pids)
