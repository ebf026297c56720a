"""The labs' tolerance functions: the two seeds' own, as printed, and a corrected lab4 one.

`PYTHONPATH=.` (run from this folder) makes them importable, as `export PYTHONPATH=...` does in the labs.
"""
from base64 import b64decode
import json
import logging
import os.path
from typing import Any, Dict

from chaoslib.exceptions import ActivityFailed

logger = logging.getLogger("chaostoolkit")


def should_not_have_any_errors(filepath: str) -> bool:
    """
    Simple function that acts as a tolerance validator for the term "error"
    in a given file.
    """
    if not os.path.isfile(filepath):
        return True

    with open(filepath) as f:
        for l in f:
            record = json.loads(b64decode(json.loads(l).get("body")))
            error = record.get("error")
            if error:
                logger.error("Found an error in traces: {}".format(error))
                return False
    return True


def error_count_should_not_grow(value: Dict[str, Any] = None) -> bool:
    """
    Go through all the error counts and raise an error when we notice an
    increase.
    """
    # The lab4 seed's function, unchanged. On a real Prometheus answer each entry of "values" is a
    # [timestamp, "count"] pair, so values[1::2] is a list of lists and set() raises
    # "TypeError: unhashable type: 'list'": the tolerance can never pass (see README.md).
    values = value["data"]["result"][0]["values"]
    if not values:
        return True

    values = set(values[1:len(values):2])
    if len(values) > 1:
        raise ActivityFailed("Error counts: {}".format(values))

    return True


def error_count_must_not_grow(value: Dict[str, Any] = None) -> bool:
    """
    The corrected lab4 tolerance: every series of a Prometheus range query
    (`query_interval`) must hold one single count over the whole window.
    No series at all (the counter was never scraped) passes, as the seed meant.
    """
    for series in value["data"]["result"]:
        counts = sorted({count for _, count in series["values"]}, key=float)
        if len(counts) > 1:
            raise ActivityFailed("Error counts: {}".format(counts))
    return True
