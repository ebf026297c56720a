"""The lab1 seed's tolerance: fails when a vegeta JSON result body carries an `error` key."""
from base64 import b64decode
import json
import logging
import os.path

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
