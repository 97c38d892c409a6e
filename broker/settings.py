"""Runtime settings: environment variables (prefix ``IOM_``) over an optional YAML config file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from broker import package_data
from broker.identity.principal import Role
from broker.project_root import PROJECT_ROOT as PROJECT_ROOT  # re-exported

CONFIG_FILE_VARIABLE = "IOM_CONFIG"


class SettingsError(ValueError):
    """A setting is missing or has a bad value; the message names it."""


class KafkaSettings(BaseModel):
    """Where the Kafka cluster is and how clients identify themselves."""

    bootstrap_servers: str = "127.0.0.1:9092"
    client_id: str = "iom-broker"
    replication_factor: int | None = Field(default=None, ge=1)
    """Replicas of each topic the broker creates; default: the cluster's broker count, up to 3."""
    min_insync_replicas: int | None = Field(default=None, ge=1)
    """In-sync replicas a write needs; default: 2 with 3 or more replicas, else 1."""


class RouterSettings(BaseModel):
    """How the router consumes, batches and limits records."""

    group_id: str = "iom-router"
    transactional_id: str = "iom-router-0"
    kafka_client: Literal["aiokafka", "confluent"] = "confluent"
    """The Kafka client of the router's transactional loop: confluent-kafka (librdkafka;
    offsets carry the group generation, so Kafka refuses a zombie's commit, KIP-447; about
    2.4 to 3.9 times aiokafka's throughput here, BENCHMARKS.md) or aiokafka (pure Python)."""
    max_record_bytes: int = Field(default=256 * 1024, gt=0)
    batch_max_records: int = Field(default=500, gt=0, le=10_000)
    poll_timeout_ms: int = Field(default=200, gt=0)
    fetch_max_wait_ms: int = Field(default=500, ge=0, le=10_000)
    """How long Kafka may hold a fetch that finds no new records (Kafka's default). While a
    fetch waits on a broker's quiet partitions the client does not fetch its busy ones again,
    but the router keeps taking their records out of the client's buffer (it gathers the next
    batch while one commits), so they are in the next fetch; shorter waits only cost the
    brokers CPU (BENCHMARKS.md, "Overlapping the commit")."""
    session_timeout_ms: int = Field(default=10_000, ge=6_000, le=300_000)
    """How long a silent (crashed) router keeps its partitions before the group reassigns
    them; Kafka's lower bound is 6 s (``group.min.session.timeout.ms``)."""
    transaction_timeout_ms: int = Field(default=15_000, ge=1_000, le=900_000)
    """How long Kafka lets a router's transaction stay open. A router killed mid-transaction
    and not restarted holds back every read_committed reader of the partitions it wrote
    (deliveries, disclosures) until then; a batch slower than this (a broker failover of
    ~10 s fits) is aborted and its router exits to be restarted."""
    static_membership: bool = True
    """Join the group as a static member named by ``transactional_id``: a router restarted
    by its supervisor within the session timeout gets its partitions straight back (no
    wait, no rebalance). A router stopped on purpose still leaves the group at once."""
    partition_batch_max_records: int = Field(default=100, gt=0, le=10_000)
    """At most this many records of one partition in a batch while others wait (fairness)."""
    batch_linger_ms: int = Field(default=50, ge=0, le=10_000)
    """After a batch's first records, keep reading this long for more (unless a partition
    already fills its share): fewer, larger transactions cost the brokers far less."""
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    """Serve Prometheus metrics on ``metrics_host:metrics_port``; none served when unset."""
    lag_high_records: int = Field(default=10_000, gt=0)
    """Consumer lag (records, all assigned partitions) above which ``router.lag_high`` is logged."""
    lag_recovered_records: int | None = Field(default=None, ge=0)
    """Lag at or below which ``router.lag_recovered`` is logged; default half the high mark."""

    @model_validator(mode="after")
    def _recovery_below_high(self) -> RouterSettings:
        if self.lag_recovered_records is not None and (
            self.lag_recovered_records >= self.lag_high_records
        ):
            raise ValueError("lag_recovered_records must be below lag_high_records")
        return self

    @property
    def effective_lag_recovered_records(self) -> int:
        """The recovery mark, defaulting to half the high mark."""
        if self.lag_recovered_records is not None:
            return self.lag_recovered_records
        return self.lag_high_records // 2


class KafkaQuotaSettings(BaseModel):
    """Default Kafka client quotas of every agency principal (the registry may override them).

    ``producer_byte_rate`` and ``consumer_byte_rate`` are bytes per second per broker;
    ``request_percentage`` is the share of one broker thread's time (100 = one thread).
    """

    producer_byte_rate: int | None = Field(default=1024 * 1024, gt=0)
    consumer_byte_rate: int | None = Field(default=4 * 1024 * 1024, gt=0)
    request_percentage: float | None = Field(default=50.0, gt=0)


#: Signature algorithms a token may use. Symmetric (HS*) and ``none`` can never be configured.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class ClaimMapping(BaseModel):
    """Which token claims carry the caller's role, agency, subject reference and client.

    The defaults are the broker's own claim names; an identity provider that says it
    differently is mapped here (docs/identity-provider.md: Keycloak, Microsoft Entra ID).
    """

    role_claim: str = Field(default="iom_role", min_length=1)
    """A string or a list of strings (Entra ID's app roles are ``roles``)."""
    agency_claim: str = Field(default="iom_agency", min_length=1)
    subject_ref_claim: str = Field(default="iom_subject_ref", min_length=1)
    name_claim: str = Field(default="name", min_length=1)
    """The person's name (OpenID Connect's ``name``): the console shows a DPO by it; a token
    without it shows the DPO by their agency's role title instead."""
    role_values: dict[str, Role] = {}
    """Extra role names an external IdP uses, mapped to ours (e.g. ``IOM.DPO: dpo``)."""
    client_id_claims: tuple[str, ...] = ("client_id", "azp")
    """The claims naming the OAuth client a token was issued to, tried in order: RFC 9068's
    ``client_id``, then OpenID Connect's ``azp`` (Keycloak; Entra ID v2); ``appid`` for Entra
    ID v1 tokens. An access token naming no client is refused; empty: not required."""

    @field_validator("client_id_claims")
    @classmethod
    def _named_claims(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not name for name in value):
            raise ValueError("a client id claim name cannot be empty")
        return value


class IdentitySettings(BaseModel):
    """How callers' tokens are checked, and how this process gets its own (client credentials)."""

    issuer: str = "https://127.0.0.1:8443"
    audience: str = "iom-broker"
    jwks_url: str | None = None
    """Default: the discovery document's ``jwks_uri`` in the API (``check_provider``), else
    ``<issuer>/jwks.json`` (the development issuer's)."""
    token_url: str | None = None
    """Default: ``<issuer>/token`` (the development issuer's)."""
    algorithms: tuple[str, ...] = ("RS256", "PS256", "ES256", "EdDSA")
    leeway_seconds: int = Field(default=30, ge=0, le=300)
    max_token_lifetime_seconds: int = Field(default=3600, ge=60, le=86400)
    """Tokens whose ``exp - iat`` is longer are refused (so are tokens without ``iat``): a
    stolen long-lived token cannot be replayed for days. Applies to every caller's token."""
    claims: ClaimMapping = ClaimMapping()
    check_provider: bool = True
    """At start-up, the API fetches the issuer's discovery document and JWKS and refuses to
    start if they do not offer what the broker needs (docs/identity-provider.md)."""
    pkce_s256_unadvertised: bool = False
    """Accept a discovery document without ``code_challenge_methods_supported`` (Microsoft
    Entra ID supports PKCE S256 but does not say so); a list that lacks S256 is still refused."""
    client_id: str = "iom-router"
    client_key_file: Path | None = None
    """Private key (PEM) for ``private_key_jwt`` client authentication; preferred."""
    client_secret_file: Path | None = None
    """Client secret for ``client_secret_basic``, when no key file is given."""
    ca_file: Path | None = None
    """CA certificates (PEM) trusted for the issuer's TLS; default: the system's."""

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_only(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [a for a in value if a not in ASYMMETRIC_ALGORITHMS]
        if bad or not value:
            raise ValueError(f"{bad or value!r}: only {sorted(ASYMMETRIC_ALGORITHMS)} are allowed")
        return value

    @property
    def effective_jwks_url(self) -> str:
        """The JWKS URL, defaulting to the issuer's ``/jwks.json``."""
        return self.jwks_url or self.issuer.rstrip("/") + "/jwks.json"

    @property
    def effective_token_url(self) -> str:
        """The token endpoint, defaulting to the issuer's ``/token``."""
        return self.token_url or self.issuer.rstrip("/") + "/token"


class SignInSettings(BaseModel):
    """How the portal and the DPO console sign people in: OpenID Connect authorization code
    with PKCE against ``issuer`` (the dev issuer locally, an agency's IdP in production)."""

    issuer: str | None = None
    """Default: ``identity.issuer``. The ID token's ``iss`` must equal it."""
    authorization_url: str | None = None
    """Default: the discovery document's, else ``<issuer>/authorize`` (the development
    issuer's)."""
    token_url: str | None = None
    """Default: ``identity.token_url``, else the discovery document's, else ``<issuer>/token``."""
    client_id: str = "iom-web"
    """The front ends' client id at the IdP (the ID token's audience)."""
    client_key_file: Path | None = None
    """Private key (PEM) for ``private_key_jwt`` at the token endpoint; preferred."""
    client_secret_file: Path | None = None
    """Client secret for ``client_secret_basic``, when no key file is given."""
    public_url: str | None = None
    """The front ends' external base URL; redirect URIs are ``<public_url>/portal/signed-in``
    and ``<public_url>/console/signed-in`` and must be registered exactly at the IdP.
    Default: the URL the request arrived on (development only)."""
    end_session_url: str | None = None
    """RP-initiated logout; default: the discovery document's ``end_session_endpoint`` (none:
    signing out ends the broker's session only). ``<public_url>/portal/signed-out`` and
    ``<public_url>/console/sign-in`` must be registered as post-logout redirect URIs."""
    revocation_url: str | None = None
    """Where a signed-out session's refresh token is revoked (RFC 7009); default: the discovery
    document's ``revocation_endpoint`` (none: not revoked, it expires)."""
    scope: str = "openid"
    ca_file: Path | None = None
    """CA certificates (PEM) trusted for the IdP's TLS; default: ``identity.ca_file``."""
    session_idle_timeout_s: int = Field(default=30 * 60, ge=60, le=24 * 3600)
    """A web session unused for this long ends (the person signs in again)."""
    session_absolute_timeout_s: int = Field(default=10 * 3600, ge=300, le=7 * 24 * 3600)
    """A web session ends this long after sign-in, however busy."""


class SecuritySettings(BaseModel):
    """Deployment mode, Kafka authentication (on in `dev up`, off in a bare process) and secrets."""

    mode: Literal["development", "production"] = "development"
    kafka_auth: bool = False
    """SASL/OAUTHBEARER (and ACLs) towards Kafka; plaintext on loopback when false."""
    kafka_security_protocol: Literal["SASL_SSL", "SASL_PLAINTEXT"] = "SASL_SSL"
    kafka_ca_file: Path | None = None
    """CA certificates (PEM) trusted for Kafka's TLS listener; default: the system's."""
    router_principal: str = "iom-router"
    log_writer_principal: str = "iom-log-writer"
    statistics_principal: str = "iom-statistics"
    admin_principal: str = "iom-admin"
    kafka_reauth_ms: int = Field(default=600_000, ge=0)
    """The secured broker closes a connection whose token session is older than this (or whose
    token expired); 0 keeps Kafka's default (never). See docs/security.md."""
    agency_quotas: KafkaQuotaSettings = KafkaQuotaSettings()
    pseudonym_keys: SecretStr | None = None
    """Pseudonymisation keys as ``kid=base64`` entries (comma or newline separated)."""
    pseudonym_keys_file: Path | None = None
    log_signing_key: SecretStr | None = None
    """Ed25519 seed of the transparency log's checkpoint signer, base64."""
    log_signing_key_file: Path | None = None

    @model_validator(mode="after")
    def _production_is_authenticated(self) -> SecuritySettings:
        if self.mode == "production" and not self.kafka_auth:
            raise ValueError("kafka_auth must be true in production mode (no plaintext Kafka)")
        if self.mode == "production" and self.kafka_security_protocol != "SASL_SSL":
            raise ValueError(
                f"kafka_security_protocol {self.kafka_security_protocol!r} is loopback-only; "
                "production needs SASL_SSL"
            )
        return self


class WitnessSettings(BaseModel):
    """One independent witness (c2sp.org/tlog-witness) the log submits its checkpoints to."""

    url: str = Field(pattern=r"^https?://")
    """Its base URL; checkpoints are POSTed to ``<url>/add-checkpoint``."""
    vkey: str
    """Its cosignature verifier key ``name+keyid+base64(0x04 || key)``."""
    name_en: str | None = Field(default=None, min_length=1, max_length=200)
    """What the portal's receipts call this body in English (e.g. "the Information
    Commissioner's Office"); without it, the key's name."""
    name_cy: str | None = Field(default=None, min_length=1, max_length=200)
    """Its name in Welsh; without it, the English name."""


class TransparencySettings(BaseModel):
    """The transparency log: where it is stored, how it signs, how the writer consumes."""

    store_url: str = Field(
        default_factory=lambda: (
            f"sqlite:///{package_data.state_dir() / 'transparency' / 'log.sqlite3'}"
        )
    )
    signing_key_file: Path = Field(
        default_factory=lambda: package_data.state_dir() / "keys" / "log-signing.key"
    )
    subject_index_key_file: Path = Field(
        default_factory=lambda: package_data.state_dir() / "keys" / "log-subject-index.key"
    )
    origin: str = Field(default="iom-broker.dev/transparency-log", pattern=r"^[^\s+]+$")
    checkpoint_interval_s: float = Field(default=10.0, gt=0)
    default_retention: str = Field(default="P6Y", pattern=r"^P")
    group_id: str = "iom-log-writer"
    batch_max_records: int = Field(default=1000, gt=0, le=10_000)
    poll_timeout_ms: int = Field(default=200, gt=0)
    session_timeout_ms: int = Field(default=10_000, ge=6_000, le=300_000)
    """How long a silent (crashed) log writer keeps its partitions before the group reassigns
    them; Kafka's lower bound is 6 s (``group.min.session.timeout.ms``)."""
    witnesses: list[WitnessSettings] = []
    """Witnesses that cosign every new checkpoint (docs/transparency-log.md, "Witnesses")."""
    witness_poll_s: float = Field(default=1.0, gt=0, le=60)
    """How often the log writer looks for a new checkpoint to submit to the witnesses."""


class StatisticsSettings(BaseModel):
    """The statistics service (docs/statistics.md): where the aggregates live, how it reads."""

    store_url: str = Field(
        default_factory=lambda: (
            f"sqlite:///{package_data.state_dir() / 'statistics' / 'statistics.sqlite3'}"
        )
    )
    """``sqlite:///path`` or ``postgresql://...[#schema]`` (schema ``iom_statistics``)."""
    batch_max_records: int = Field(default=5000, gt=0, le=50_000)
    poll_timeout_ms: int = Field(default=200, gt=0)
    net_widening_threshold_percent: float = Field(default=10.0, gt=0)
    """A cohort growing by more than this from one month to the next raises a flag."""
    contact: str = "iom-statistics@example.gov.wales"
    """The address on the exports' cover sheet for questions about the statistics."""


class ApiSettings(BaseModel):
    """The HTTP API: where it listens and the bounds it enforces on callers."""

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    max_body_bytes: int = Field(default=64 * 1024, gt=0, le=16 * 1024 * 1024)
    max_page_size: int = Field(default=100, gt=0, le=100)
    supervisee_rate_per_s: float = Field(default=2.0, gt=0)
    """Sustained requests per second each supervisee may make (token bucket refill rate)."""
    supervisee_burst: int = Field(default=20, gt=0)
    kafka_timeout_s: float = Field(default=2.0, gt=0, le=30)
    router_lag_refresh_s: float = Field(default=15.0, gt=0, le=300)
    """How often one background task measures the router group's lag for ``/metrics``
    (scrapes read the last measurement and never open Kafka clients)."""
    tls_cert_file: Path | None = None
    """Serve HTTPS with this certificate (PEM); required in production mode."""
    tls_key_file: Path | None = None
    """The certificate's private key (PEM)."""
    store_url: str = Field(
        default_factory=lambda: f"sqlite:///{package_data.state_dir() / 'api' / 'records.sqlite3'}"
    )
    """Policy proposals, approvals, activations and subject access requests:
    ``sqlite:///path`` or ``postgresql://...[#schema]`` (schema ``iom_api`` by default)."""
    activation_check_s: float = Field(default=2.0, gt=0, le=60)
    """How often the API looks for scheduled policy activations that are due."""
    activation_horizon_days: int = Field(default=366, gt=0, le=3660)
    """How far ahead an activation may be scheduled."""
    docs: bool = True
    """Serve the interactive documentation (``/docs``, Swagger UI from this origin) and the
    OpenAPI document (``/openapi.json``). Production deployments that do not publish their API
    description set it to false: both are then 404."""

    @model_validator(mode="after")
    def _tls_pair(self) -> ApiSettings:
        if (self.tls_cert_file is None) != (self.tls_key_file is None):
            raise ValueError("tls_cert_file and tls_key_file must be given together")
        return self


class Settings(BaseSettings):
    """All settings of one broker process."""

    model_config = SettingsConfigDict(
        env_prefix="IOM_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    kafka: KafkaSettings = KafkaSettings()
    router: RouterSettings = RouterSettings()
    transparency: TransparencySettings = Field(default_factory=TransparencySettings)
    statistics: StatisticsSettings = Field(default_factory=StatisticsSettings)
    identity: IdentitySettings = IdentitySettings()
    security: SecuritySettings = SecuritySettings()
    api: ApiSettings = Field(default_factory=ApiSettings)
    sign_in: SignInSettings = SignInSettings()

    @model_validator(mode="after")
    def _production_api_is_https(self) -> Settings:
        if self.security.mode == "production" and self.api.tls_cert_file is None:
            raise ValueError("api.tls_cert_file is required in production mode (no plain HTTP)")
        return self

    # Defaults: the package's own data (broker.package_data), never the folder it was built from.
    schema_dir: Path = Field(default_factory=package_data.schema_dir)
    #: The policy directory (vocabulary/, agreements/, scenarios/); see docs/policy.md.
    policy_file: Path = Field(default_factory=package_data.policy_dir)
    agencies_file: Path = Field(default_factory=package_data.agencies_file)
    subject_key_file: Path = Field(
        default_factory=lambda: package_data.state_dir() / "keys" / "subject.key"
    )
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "console"] = "json"
    #: Created by a long-running command (router, log writer, statistics) once it is ready,
    #: removed when it stops (``broker/ready_file.py``); None: no file.
    ready_file: Path | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit arguments win, then the environment, then the config file."""
        return (init_settings, env_settings, _ConfigFileSource(settings_cls))


class _ConfigFileSource(PydanticBaseSettingsSource):
    """Reads the YAML file named by ``IOM_CONFIG``, if any."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = os.environ.get(CONFIG_FILE_VARIABLE)
        if not path:
            return {}
        try:
            loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise SettingsError(
                f"{CONFIG_FILE_VARIABLE}={path}: cannot read ({error.strerror})"
            ) from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark else path
            raise SettingsError(f"{where}: not valid YAML") from None
        if not isinstance(loaded, dict):
            raise SettingsError(f"{path}: expected a mapping of settings at the top level")
        return loaded


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning validation failures into one line naming the bad setting."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        if not first["loc"]:
            raise SettingsError(f"settings: {message}") from None
        dotted = ".".join(str(part) for part in first["loc"])
        variable = "IOM_" + "__".join(str(part).upper() for part in first["loc"])
        raise SettingsError(f"setting {dotted} ({variable}): {message}") from None
