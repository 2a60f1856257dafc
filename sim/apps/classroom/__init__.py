"""The classroom (issue 20): a trainer opens a room, a class plays the municipality in roles, the real model
plays the rest, and a debrief shows what the room's decisions moved.

``engine`` is the game's interface, ``game`` the model's game (``ModelGame``), ``rooms`` the rooms a server
holds (keyed by a short code), ``app`` the Solara pages, ``serve`` the server (``python -m sim classroom``).
"""
