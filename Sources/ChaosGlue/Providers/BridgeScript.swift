/// The python side of the bridge, run as `python3 -c <script>`: requests on fd 3, answers on fd 4, one JSON
/// object per line. Log records of the `chaostoolkit` logger travel as `{"log": ...}` lines before the answer.
enum BridgeScript {
    static let source = #"""
        import sys, os, json, importlib, inspect, logging, traceback, types, datetime, decimal, uuid

        _in = os.fdopen(3, "r", encoding="utf-8")
        _out = os.fdopen(4, "w", encoding="utf-8")

        def _default(o):
            if isinstance(o, (datetime.datetime, datetime.date, datetime.time)):
                return o.isoformat()
            if isinstance(o, (decimal.Decimal, uuid.UUID)):
                return str(o)
            if isinstance(o, bytes):
                return o.decode("utf-8", "replace")
            if isinstance(o, (set, frozenset, tuple)):
                return list(o)
            return str(o)

        def _send(obj):
            _out.write(json.dumps(obj, default=_default) + "\n")
            _out.flush()

        try:
            import chaoslib.exceptions  # noqa: F401
        except ImportError:
            chaoslib = types.ModuleType("chaoslib")
            chaoslib.__path__ = []
            chaoslib.__version__ = "1.44.0"
            exc = types.ModuleType("chaoslib.exceptions")
            class ChaosException(Exception): pass
            class InvalidSource(ChaosException): pass
            class InvalidActivity(ChaosException): pass
            class InvalidExperiment(ChaosException): pass
            class ActivityFailed(ChaosException): pass
            class DiscoveryFailed(ChaosException): pass
            class InvalidControl(ChaosException): pass
            class ValidationError(ChaosException):
                def __init__(self, msg, errors=None, *args, **kwargs):
                    super().__init__(msg, *args, **kwargs)
                    self.errors = errors or []
            class InterruptExecution(ChaosException): pass
            class ControlPythonFunctionLoadingError(Exception): pass
            class ExperimentExitedException(Exception): pass
            for _k, _v in list(locals().items()):
                if isinstance(_v, type) and issubclass(_v, Exception):
                    _v.__module__ = "chaoslib.exceptions"
                    setattr(exc, _k, _v)
            typ = types.ModuleType("chaoslib.types")
            from typing import Any, Dict, List, Union
            for _k in ("Configuration", "Secrets", "Settings", "Experiment", "Journal", "Run", "Activity", "Probe",
                       "Action", "Hypothesis", "Control", "Extension", "EventPayload", "Schedule", "Strategy"):
                setattr(typ, _k, Dict[str, Any])
            typ.MicroservicesStatus = Any
            typ.Discovery = Dict[str, Any]
            typ.DiscoveredActivities = Dict[str, Any]
            typ.DiscoveredSystemInfo = Dict[str, Any]
            chaoslib.exceptions = exc
            chaoslib.types = typ
            sys.modules["chaoslib"] = chaoslib
            sys.modules["chaoslib.exceptions"] = exc
            sys.modules["chaoslib.types"] = typ


        class _Bridge(logging.Handler):
            def emit(self, record):
                try:
                    msg = record.getMessage()
                    if record.exc_info:
                        msg += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
                    _send({"log": record.levelname, "message": msg, "module": record.module, "lineno": record.lineno})
                except Exception:
                    pass

        _logger = logging.getLogger("chaostoolkit")
        _logger.addHandler(_Bridge())
        _logger.setLevel(logging.DEBUG)
        _logger.propagate = False

        def _find(module, func):
            mod = importlib.import_module(module)
            for name, cb in inspect.getmembers(mod, lambda m: inspect.isfunction(m) or inspect.isbuiltin(m)):
                if name == func:
                    return cb
            return None

        def _validate(req):
            module, func, name, kind = req["module"], req["func"], req["name"], req["kind"]
            arguments = req.get("arguments") or {}
            try:
                importlib.import_module(module)
            except ImportError:
                return {"error": "could not find Python module '%s' in activity '%s'" % (module, name)}
            except Exception as x:
                return {"crash": "".join(traceback.format_exception_only(type(x), x)).strip()}
            cb = _find(module, func)
            if cb is None:
                return {"error": "The python module '%s' does not expose a function called '%s' in %s '%s'" % (module, func, kind, name)}
            try:
                sig = inspect.signature(cb)
            except (ValueError, TypeError) as x:
                # chaostoolkit crashes here (e.g. "no signature found for builtin"): a clear error instead.
                return {"crash": "".join(traceback.format_exception_only(type(x), x)).strip()}
            args = dict(arguments) if isinstance(arguments, dict) else {}
            if "configuration" in sig.parameters:
                args["configuration"] = {}
            if "secrets" in sig.parameters:
                args["secrets"] = {}
            try:
                sig.bind(**args)
            except TypeError as x:
                text = str(x)
                arg = text.rsplit(" ", 1)[-1]
                if "missing" in text:
                    return {"error": "required argument %s is missing from activity '%s'" % (arg, func)}
                if "unexpected keyword" in text:
                    return {"error": "argument %s is not part of the function signature in activity '%s'" % (arg, func)}
                return {"crash": "TypeError: " + text}
            return {"ok": True}

        def _control_module(req):
            try:
                importlib.import_module(req["module"])
                return {"ok": True}
            except ImportError:
                return {"ok": False}

        def _patch_exit():
            # chaoslib.exit signals "the chaos process"; here that is the bridge's parent (barrage).
            import signal
            try:
                import chaoslib.exit as ex
            except ImportError:
                ex = types.ModuleType("chaoslib.exit")
                sys.modules["chaoslib.exit"] = ex
                sys.modules["chaoslib"].exit = ex
            ex.exit_gracefully = lambda: os.kill(os.getppid(), signal.SIGUSR1)
            ex.exit_ungracefully = lambda: os.kill(os.getppid(), signal.SIGUSR2)

        _patch_exit()

        def _control(req):
            try:
                mod = importlib.import_module(req["module"])
            except ImportError:
                return {"missing": True}
            fn = getattr(mod, req["hook"], None)
            if fn is None or not callable(fn):
                return {"ok": True}
            kwargs = dict(req.get("arguments") or {})
            try:
                params = inspect.signature(fn).parameters
            except (ValueError, TypeError):
                params = {}
            var_kw = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in params.values())
            for key in ("context", "state", "configuration", "secrets", "experiment", "settings", "extensions"):
                if key in req["given"] and (key in params or var_kw):
                    kwargs[key] = req.get(key)
            from chaoslib.exceptions import InterruptExecution
            try:
                fn(**kwargs)
            except InterruptExecution as x:
                return {"interrupt": str(x)}
            except SystemExit as x:
                return {"exit": x.code if isinstance(x.code, int) else 1}
            except Exception as x:
                return {"error": "".join(traceback.format_exception_only(type(x), x)).strip()}
            return {"ok": True}

        def _call(req):
            module, func = req["module"], req["func"]
            arguments = dict(req.get("arguments") or {})
            try:
                cb = _find(module, func)
                if cb is None:
                    raise AttributeError("module '%s' has no attribute '%s'" % (module, func))
            except Exception as x:
                return {"aborted": "".join(traceback.format_exception_only(type(x), x)).strip(),
                        "traceback": traceback.format_exception(type(x), x, x.__traceback__)}
            try:
                sig = inspect.signature(cb)
                params = sig.parameters
            except (ValueError, TypeError):
                params = {}
            if "configuration" in params:
                arguments["configuration"] = dict(req.get("configuration") or {})
            if req.get("secrets") is not None and "secrets" in params:
                arguments["secrets"] = req["secrets"]
            try:
                result = cb(**arguments)
            except Exception as x:
                line = traceback.format_exception_only(type(x), x)[0].strip()
                tb = traceback.format_exception(type(x), x, x.__traceback__)
                return {"failed": line, "traceback": tb}
            try:
                json.dumps(result, default=_default)
            except Exception:
                result = str(result)
            return {"result": result}

        for line in _in:
            try:
                req = json.loads(line)
            except Exception:
                continue
            op = req.get("op")
            try:
                if op == "validate":
                    res = _validate(req)
                elif op == "call":
                    res = _call(req)
                elif op == "control":
                    res = _control(req)
                elif op == "control-module":
                    res = _control_module(req)
                else:
                    res = {"crash": "unknown bridge operation %r" % op}
            except BaseException as x:
                res = {"crash": "".join(traceback.format_exception_only(type(x), x)).strip()}
            try:
                _send(res)
            except Exception as x:
                _send({"crash": "result is not serialisable: %s" % x})
        """#
}
