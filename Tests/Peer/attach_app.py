"""Flowscope's attach target: a Genkit Python 0.12.0 runtime driven over the reflection API.

Unlike ``peer_app.py`` (HTTP flows under uvicorn), this app serves nothing itself: in dev mode
``Genkit()`` starts the reflection server on an OS-chosen loopback port and writes
``./.genkit/runtimes/<pid>-<port>-<ms>.json`` in the current directory, which is how Flowscope's
debugger (``RuntimeDiscovery``, ``flowscope start -- <command>``) finds it. Run it with the peer
venv made by ``scripts/install-peer.sh``:

    cd "$(mktemp -d)" && GENKIT_ENV=dev ~/.cache/flowscope-peer/venv/bin/python /path/to/Tests/Peer/attach_app.py

Environment:
    GENKIT_ENV=dev              required: starts the reflection server and writes the runtime file
    GENKIT_TELEMETRY_SERVER     optional: where Genkit exports traces (Genkit reads it itself)
    ATTACH_APP_CANCEL_MARKER    optional: a file ``slow`` creates when it is cancelled
    ATTACH_APP_EXIT_WITH_PARENT optional: ``1`` makes the app stop (as on SIGTERM) once its parent
                                process is gone, so a test runner that dies leaves no runtime behind

Flows (keys ``/flow/<name>``):
    streamy   str -> str    streams 5 text chunks (60 ms apart), returns them joined
    steps     str -> dict   two ``ai.run`` steps: ``uppercase``, then ``reverse``
    weather   str -> str    generate() with one tool round-trip on the fake model ``fake/tool-caller``
    slow      int -> str    sleeps up to ``min(n, 60)`` s in 50 ms steps; marks its own cancellation
    boom      str -> str    raises ``ValueError('kaboom: <input>')``

The process runs until SIGTERM or SIGINT (Genkit's ``run_main`` keeps it alive and removes the
runtime file on the way out).
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from pathlib import Path

from genkit import ActionRunContext, Genkit
from genkit.model import Message, ModelRequest, ModelResponse, Part, ToolRequest
from pydantic import BaseModel

ai = Genkit()

STREAMY_WORDS = ['Once', ' upon', ' a', ' time', '.']


@ai.flow()
async def streamy(prefix: str, ctx: ActionRunContext) -> str:
    """Streams five text chunks with small pauses and returns them joined."""
    words = [prefix + STREAMY_WORDS[0], *STREAMY_WORDS[1:]]
    for word in words:
        ctx.send_chunk(word)
        await asyncio.sleep(0.06)
    return ''.join(words)


@ai.flow()
async def steps(text: str) -> dict:
    """Two named steps via ai.run: uppercase, then reverse."""

    async def uppercase() -> str:
        return text.upper()

    upper = await ai.run(name='uppercase', fn=uppercase)

    async def reverse() -> str:
        return upper[::-1]

    reversed_text = await ai.run(name='reverse', fn=reverse)
    return {'upper': upper, 'reversed': reversed_text}


class WeatherQuery(BaseModel):
    """Input of the ``get_weather`` tool."""

    city: str


@ai.tool()
async def get_weather(query: WeatherQuery) -> str:
    """Returns the (fixed) weather for a city."""
    return f'Sunny, 21C in {query.city}'


async def tool_caller(request: ModelRequest, ctx: ActionRunContext) -> ModelResponse:
    """A scripted model: asks for get_weather(city) first, then answers with the tool's output."""
    last = request.messages[-1]
    tool_outputs = [part.tool_response.output for part in last.content if part.tool_response is not None]
    if tool_outputs:
        text = f'The tool said: {tool_outputs[0]}'
        if ctx.is_streaming:
            ctx.send_chunk({'role': 'model', 'index': 0, 'content': [{'text': text}]})
        return ModelResponse(message=Message(role='model', content=[Part(text=text)]), finish_reason='stop')
    prompt = ''.join(part.text or '' for part in last.content)
    city = prompt.split()[-1].strip('?.!') if prompt.strip() else 'Paris'
    request_part = Part(tool_request=ToolRequest(name='get_weather', ref='call-1', input={'city': city}))
    return ModelResponse(message=Message(role='model', content=[request_part]), finish_reason='stop')


ai.define_model(name='fake/tool-caller', fn=tool_caller)


@ai.flow()
async def weather(question: str) -> str:
    """generate() with one tool round-trip on the fake model."""
    response = await ai.generate(model='fake/tool-caller', prompt=question, tools=['get_weather'])
    return response.text


@ai.flow()
async def slow(seconds: int) -> str:
    """Sleeps up to min(seconds, 60) s in 50 ms steps; on cancellation writes the marker file."""
    limit = min(max(seconds, 0), 60)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    try:
        while loop.time() < deadline:
            await asyncio.sleep(0.05)
    except asyncio.CancelledError:
        marker = os.environ.get('ATTACH_APP_CANCEL_MARKER')
        if marker:
            Path(marker).write_text('cancelled\n', encoding='utf-8')
        raise
    return f'slept {limit} s'


@ai.flow()
async def boom(text: str) -> str:
    """Always raises a plain Python exception."""
    raise ValueError(f'kaboom: {text}')


def exit_with_parent() -> None:
    """Sends this process SIGTERM once it is re-parented (its parent exited), checking twice a second."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True, name='exit-with-parent').start()


async def main() -> None:
    """Nothing to do at startup: the flows are driven over the reflection API."""


if __name__ == '__main__':
    if os.environ.get('ATTACH_APP_EXIT_WITH_PARENT') == '1':
        exit_with_parent()
    ai.run_main(main())
