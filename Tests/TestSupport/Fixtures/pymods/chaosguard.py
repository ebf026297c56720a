"""A safeguard-like control: a thread watches for a file, logs CRITICAL and exits the experiment gracefully."""
import logging
import os
import threading
import time

from chaoslib.exit import exit_gracefully

logger = logging.getLogger("chaostoolkit")


def configure_control(configuration=None, secrets=None, settings=None, experiment=None, trigger=None, **kwargs):
    def watch():
        deadline = time.time() + 30
        while time.time() < deadline:
            if os.path.exists(trigger):
                logger.critical("Safeguard 'no-crashloop-alerted' triggered the end of the experiment")
                exit_gracefully()
                return
            time.sleep(0.01)
    threading.Thread(target=watch, daemon=True).start()
