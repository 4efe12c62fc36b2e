"""Failed-login counting per user name and per client address (in memory).

After ``max_per_user`` failures for one user name, or ``max_per_ip`` failures from
one address, within ``window`` seconds, further attempts are refused until the
oldest failure leaves the window, even with the right password (otherwise the
limit would not slow guessing). A success clears the user name's failures. Memory
is bounded: at most ``max_keys`` names and addresses are tracked; beyond that the
stalest are forgotten.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

__all__ = ["LoginLimiter"]


class LoginLimiter:
    """Sliding-window counter of failed logins.

    Parameters
    ----------
    max_per_user, max_per_ip
        Failures allowed within the window.
    window
        Window length in seconds.
    clock
        Monotonic clock (tests pass a fake one).
    max_keys
        Most keys tracked at once.
    """

    def __init__(
        self,
        max_per_user: int,
        max_per_ip: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.max_per_user = max_per_user
        self.max_per_ip = max_per_ip
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, username: str, client: str) -> float | None:
        """Seconds to wait before trying again, or ``None`` when allowed now."""
        now = self._clock()
        waits = []
        with self._lock:
            for key, limit in (
                (f"user:{username.lower()}", self.max_per_user),
                (f"ip:{client}", self.max_per_ip),
            ):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[len(times) - limit] + self.window - now)
        return max(waits) if waits else None

    def failure(self, username: str, client: str) -> None:
        """Count one failed attempt for the name and the address."""
        now = self._clock()
        with self._lock:
            for key in (f"user:{username.lower()}", f"ip:{client}"):
                times = self._failures.setdefault(key, deque())
                times.append(now)
                self._failures.move_to_end(key)
            while len(self._failures) > self._max_keys:
                self._failures.popitem(last=False)

    def success(self, username: str) -> None:
        """Forget the failures of a user name after a successful login."""
        with self._lock:
            self._failures.pop(f"user:{username.lower()}", None)
