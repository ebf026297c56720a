"""Python functions the chaos tests call through the bridge."""
import logging
from chaoslib.exceptions import ActivityFailed

logger = logging.getLogger("chaostoolkit")


def add(a, b=1):
    return a + b


def needs_config(name, configuration=None, secrets=None):
    return {"name": name, "config": configuration, "secrets": secrets}


def kaboom():
    raise RuntimeError("kaboom")


def fail_plain():
    raise ActivityFailed("nope")


def shout(message="hi"):
    logger.error("Found an error in traces: %s", message)
    logger.info("an info line")
    logger.debug("a debug line")
    return False


def status_is_zero(value=None):
    return value["status"] == 0


def value_must_be_small(value=None):
    if value > 10:
        raise ActivityFailed("too big: {}".format(value))
    return True


def nap(seconds=0.1):
    import time
    time.sleep(seconds)
    return seconds
