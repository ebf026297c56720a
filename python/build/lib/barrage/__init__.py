"""Chaos Toolkit extension modules served by the barrage binary (see barrage.probes)."""
