"""A control module for the tests: records every hook it sees, can interrupt or exit at a given activity."""
import json
from chaoslib.exceptions import InterruptExecution

_seen = []
_path = [None]


def _note(path, what):
    _seen.append(what)
    path = path or _path[0]
    _path[0] = path
    with open(path, "a") as f:
        f.write(what + "\n")


def configure_control(configuration=None, secrets=None, settings=None, experiment=None, path=None, **kwargs):
    _note(path, "configure:" + experiment["title"])


def before_experiment_control(context, path=None, **kwargs):
    _note(path, "before_experiment")


def after_experiment_control(context, state, path=None, **kwargs):
    _note(path, "after_experiment:" + state["status"])


def before_hypothesis_control(context, path=None, **kwargs):
    _note(path, "before_hypothesis")


def after_hypothesis_control(context, state, path=None, **kwargs):
    _note(path, "after_hypothesis:%s" % state["steady_state_met"])


def before_method_control(context, path=None, **kwargs):
    _note(path, "before_method")


def after_method_control(context, state, path=None, **kwargs):
    _note(path, "after_method:%d" % len(state))


def before_rollback_control(context, path=None, **kwargs):
    _note(path, "before_rollback")


def after_rollback_control(context, state, path=None, **kwargs):
    _note(path, "after_rollback:%d" % len(state))


def before_activity_control(context, path=None, interrupt_at=None, exit_at=None, **kwargs):
    _note(path, "before_activity:" + context["name"])
    if context["name"] == interrupt_at:
        raise InterruptExecution("Safeguard 'test' triggered the end of the experiment")
    if context["name"] == exit_at:
        raise SystemExit(20)


def after_activity_control(context, state, path=None, **kwargs):
    _note(path, "after_activity:%s:%s" % (context["name"], state.get("status")))


def cleanup_control(**kwargs):
    # chaoslib calls this with no arguments at all.
    _note(None, "cleanup:%d:%s" % (len(_seen), sorted(kwargs)))
