"""One log line when a dependency starts failing, one when it is back: not one per request.

A Redis or database outage under load would otherwise write thousands of identical
tracebacks a second and bury the cause. Each process logs the first failure of a
dependency with its cause (the exception), counts the failures it then keeps quiet
about, and logs once more when a call succeeds again, with how many it suppressed.
"""

import logging
import threading
import time

logger = logging.getLogger("gwangju.outage")

_lock = threading.Lock()
_failing = {}  # dependency -> [since (monotonic), failures]


def failed(dependency, error, what="failing", then="serving without it until it answers again"):
    """Record a failure of `dependency` (say "redis"); logs only the first of an outage."""
    with _lock:
        state = _failing.get(dependency)
        if state is not None:
            state[1] += 1
            return
        _failing[dependency] = [time.monotonic(), 1]
    logger.error("%s is %s (%s: %s); %s", dependency, what, type(error).__name__, error, then)


def recovered(dependency):
    """Record a success of `dependency`; logs the end of an outage once."""
    if dependency not in _failing:  # the common case: no lock, nothing to do
        return
    with _lock:
        state = _failing.pop(dependency, None)
    if state is not None:
        logger.warning(
            "%s answers again after %.1f s (%d failed calls)", dependency, time.monotonic() - state[0], state[1]
        )


def is_failing(dependency):
    return dependency in _failing
