"""A stand-in for chaosprometheus.probes.query_interval: GETs /api/v1/query_range and returns the JSON."""
import json
import urllib.parse
import urllib.request


def query_interval(query: str, start: str, end: str, step: int = 1, configuration: dict = None):
    base = (configuration or {}).get("prometheus_base_url", "http://127.0.0.1:9090/").rstrip("/")
    params = urllib.parse.urlencode({"query": query, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(base + "/api/v1/query_range?" + params, timeout=3) as r:
        return json.loads(r.read())
