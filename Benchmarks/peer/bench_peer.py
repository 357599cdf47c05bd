"""The same two flows as FlowsBenchmarks, under the Python Genkit SDK, for a side-by-side ratio.

Spans are recorded (an OpenTelemetry SDK TracerProvider with a span processor that hands every ended
span to an in-memory sink), which is what Flowscope always does. Prints one JSON object.

Usage: python bench_peer.py [iterations]
"""
import asyncio
import gc
import json
import statistics
import sys
import time

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult


class CollectingExporter(SpanExporter):
    """Keeps a count of exported spans (the spans are delivered, then dropped)."""

    def __init__(self):
        self.count = 0

    def export(self, spans):
        self.count += len(spans)
        return SpanExportResult.SUCCESS


exporter = CollectingExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
trace.set_tracer_provider(provider)

from genkit import Genkit  # noqa: E402  (after the tracer provider is installed)

ai = Genkit()


@ai.flow()
async def trivial(text: str) -> str:
    return text


@ai.flow()
async def two_steps(text: str) -> str:
    async def first() -> str:
        return text + "a"

    a = await ai.run(name="a", fn=first)

    async def second() -> str:
        return a + "b"

    return await ai.run(name="b", fn=second)


async def measure(flow, iterations):
    for _ in range(min(1000, iterations)):
        await flow("x")
    runs = []
    for _ in range(3):
        gc.collect()
        start = time.perf_counter()
        for _ in range(iterations):
            await flow("x")
        runs.append((time.perf_counter() - start) / iterations * 1e6)
    return {"best_us": min(runs), "median_us": statistics.median(runs)}


async def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    before = exporter.count
    results = {
        "python": sys.version.split()[0],
        "iterations": iterations,
        "trivial": await measure(trivial, iterations),
        "two_steps": await measure(two_steps, iterations),
    }
    results["spans_recorded"] = exporter.count - before
    print(json.dumps(results))


asyncio.run(main())
