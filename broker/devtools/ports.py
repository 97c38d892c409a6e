"""Loopback TCP ports for the development tools: choose free ones, check who listens."""

from __future__ import annotations

import socket

__all__ = ["LOOPBACK", "free_loopback_port", "free_ports", "port_free", "port_open"]

LOOPBACK = "127.0.0.1"


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports on loopback that were free a moment ago."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((LOOPBACK, 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    [port] = free_ports(1)
    return port


def port_free(port: int) -> bool:
    """Whether ``port`` on loopback can be bound now (nobody listens on it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
        return True


def port_open(port: int) -> bool:
    """Whether something accepts connections on ``port`` on loopback."""
    try:
        with socket.create_connection((LOOPBACK, port), timeout=1.0):
            return True
    except OSError:
        return False
