"""The lab4 seed's probe tolerance."""
from typing import Any, Dict

from chaoslib.exceptions import ActivityFailed


def error_count_should_not_grow(value: Dict[str, Any] = None) -> bool:
    """
    Go through all the error counts and raise an error when we notice an
    increase.
    """
    values = value["data"]["result"][0]["values"]
    if not values:
        return True

    values = set(values[1:len(values):2])
    if len(values) > 1:
        raise ActivityFailed("Error counts: {}".format(values))

    return True
