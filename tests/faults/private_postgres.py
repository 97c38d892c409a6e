"""A private PostgreSQL server for one test session, which a fault test may stop and restart.

The machine's shared cluster is never touched: Debian's server binaries
(``/usr/lib/postgresql/<version>/bin``) run ``initdb`` and ``pg_ctl`` on a data folder of our
own, on a free loopback port, as the ``postgres`` OS user when we are root (the server refuses
to run as root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

_SERVER_ROOT = Path("/usr/lib/postgresql")
USER = "iom_faults"


def server_bin() -> Path:
    """The newest installed PostgreSQL server's ``bin`` folder."""
    versions = sorted(
        (p for p in _SERVER_ROOT.glob("*/bin") if (p / "pg_ctl").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not versions:
        raise RuntimeError(f"no PostgreSQL server under {_SERVER_ROOT} (install postgresql)")
    return versions[-1]


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivatePostgres:
    """``initdb`` once, then ``start``/``stop`` at will; ``dsn`` reaches database ``postgres``."""

    def __init__(self) -> None:
        self._bin = server_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="iom-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        if self._owner is not None:
            os.chown(self.folder, self._owner.pw_uid, self._owner.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", USER, "-A", "trust", "--no-sync")
        settings = (
            f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.folder}'\nfsync = off\n"
            "max_connections = 40\nshared_buffers = 64MB\n"
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(settings)

    @property
    def dsn(self) -> str:
        """Where a client connects (trust authentication on loopback)."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-t", "60", "start")

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server (``immediate``: like a crash, connections cut at once)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def is_up(self) -> bool:
        """True if the server accepts a connection now."""
        try:
            psycopg.connect(self.dsn, connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    def remove(self) -> None:
        """Stop the server if it runs and delete its folder."""
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        user = self._owner.pw_name if self._owner is not None else None
        subprocess.run(
            [str(self._bin / program), *args],
            check=True,
            cwd=self.folder,
            user=user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=120,
        )


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    """A private PostgreSQL server for the fault suite, removed at the end of the session."""
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()
