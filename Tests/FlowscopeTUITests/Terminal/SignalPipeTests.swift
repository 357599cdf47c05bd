import FlowscopeTUI
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct SignalPipeTests {
  @Test func notifiedSignalsAreDrainedInOrder() throws {
    let pipe = try SignalPipe()
    #expect(pipe.drain().isEmpty)
    pipe.notify(SIGTERM)
    pipe.notify(SIGWINCH)
    pipe.notify(SIGHUP)
    #expect(pipe.drain() == [SIGTERM, SIGWINCH, SIGHUP])
    #expect(pipe.drain().isEmpty)
  }

  @Test func descriptorBecomesReadableWhenNotified() throws {
    let pipe = try SignalPipe()
    var descriptor = pollfd(fd: pipe.readDescriptor, events: Int16(POLLIN), revents: 0)
    #expect(poll(&descriptor, 1, 0) == 0)
    pipe.notify(SIGINT)
    #expect(poll(&descriptor, 1, 0) == 1)
    _ = pipe.drain()
    #expect(poll(&descriptor, 1, 0) == 0)
  }
}
