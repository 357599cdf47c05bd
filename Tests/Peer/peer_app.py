"""Flowscope's compatibility peer: a small Genkit Python 0.12.0 app served by genkit-fastapi.

Each flow answers ``POST /<name>`` with Genkit's callable protocol. The Swift twins live in
Sources/FlowscopeCLI/Samples/PeerParityFlows.swift (registered by ``flowscope serve`` when
``FLOWSCOPE_BENCHMARK_FLOWS=1``); PeerCompatibilityTests and Benchmarks/http.sh drive both.

    uvicorn peer_app:app --app-dir Tests/Peer --host 127.0.0.1 --port 8000 --http httptools

Set ``GENKIT_ENV=dev`` and ``GENKIT_TELEMETRY_SERVER=<url>`` to export traces (Genkit then also starts
its reflection server on an OS-chosen port and writes ``./.genkit/runtimes/*.json`` in the cwd).
"""

from __future__ import annotations

from fastapi import FastAPI
from genkit import ActionRunContext, Genkit, GenkitError
from genkit_fastapi import serve_flow
from pydantic import BaseModel, Field

genkit = Genkit()
app = FastAPI(title='flowscope-peer')


def published(flow):
    """Mounts ``flow`` at ``POST /<flow name>`` and returns it unchanged."""
    app.include_router(serve_flow(flow))
    return flow


class Salutation(BaseModel):
    """Input of ``greet``: who, and how many times (1-5)."""

    name: str
    times: int = Field(default=1, ge=1, le=5)


class Greeting(BaseModel):
    """Output of ``greet``."""

    greeting: str
    length: int


@published
@genkit.flow(name='trivial')
async def trivial(text: str) -> str:
    """Echoes its input (the HTTP benchmark's request)."""
    return text


@published
@genkit.flow(name='manychunks')
async def manychunks(count: int, ctx: ActionRunContext) -> int:
    """Streams the integers 0..count-1 as chunks and returns count."""
    for index in range(count):
        ctx.send_chunk(index)
    return count


@published
@genkit.flow(name='greet')
async def greet(who: Salutation) -> Greeting:
    """Typed input and output, with a range constraint on ``times``."""
    text = ' '.join(f'Hello, {who.name}!' for _ in range(who.times))
    return Greeting(greeting=text, length=len(text))


@published
@genkit.flow(name='countdown')
async def countdown(start: int, ctx: ActionRunContext) -> str:
    """Streams {"tick": start} .. {"tick": 1}, then returns "liftoff"."""
    tick = start
    while tick > 0:
        ctx.send_chunk({'tick': tick})
        tick -= 1
    return 'liftoff'


@published
@genkit.flow(name='steps')
async def steps(text: str) -> dict:
    """Two named steps: uppercase the text, then reverse it."""

    async def shout() -> str:
        return text.upper()

    upper = await genkit.run(name='uppercase', fn=shout)

    async def mirror() -> str:
        return ''.join(reversed(upper))

    reversed_text = await genkit.run(name='reverse', fn=mirror)
    return {'upper': upper, 'reversed': reversed_text}


@published
@genkit.flow(name='boom')
async def boom(text: str) -> str:
    """Fails with a plain Python exception."""
    raise ValueError('kaboom: ' + text)


@published
@genkit.flow(name='public_err')
async def public_err(text: str) -> str:
    """Fails with a Genkit error carrying a non-500 status."""
    raise GenkitError(status='NOT_FOUND', message='no such thing: ' + text)
