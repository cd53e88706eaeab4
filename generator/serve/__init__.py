"""``missionpress serve``: a local web app over the library.

Pages for people (poster and handout, handbook, onboarding packets from an
uploaded roster, checking a file), a live preview that follows every saved
change of the content and template folders, and the HTTP API they use.

Modules: :mod:`~generator.serve.library` (the one door into the library),
:mod:`~generator.serve.api` and :mod:`~generator.serve.pages` (routes),
:mod:`~generator.serve.previews` (builds kept for preview, page images),
:mod:`~generator.serve.events` (watcher, server-sent events),
:mod:`~generator.serve.jobs` (onboarding builds), :mod:`~generator.serve.uploads`
(size limits and file sniffing), :mod:`~generator.serve.security` (Host and
Origin checks, error ids), :mod:`~generator.serve.app` and
:mod:`~generator.serve.server` (assembly, uvicorn).
"""
