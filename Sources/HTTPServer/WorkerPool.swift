import Foundation

/// A fixed set of threads that run request handlers, so that slow work never blocks an event loop.
final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var stopped = false

    init(threads: Int, name: String) {
        for i in 0..<max(1, threads) {
            let t = Thread { [self] in self.work() }
            t.name = "\(name)-\(i)"
            t.stackSize = 8 << 20
            t.start()
        }
    }

    func submit(_ task: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.append(task)
        condition.signal()
        condition.unlock()
    }

    /// Tasks waiting for a thread.
    var backlog: Int {
        condition.lock(); defer { condition.unlock() }
        return queue.count - head
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == queue.count && !stopped { condition.wait() }
            if head == queue.count && stopped { condition.unlock(); return }
            let task = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count { queue.removeFirst(head); head = 0 }
            condition.unlock()
            task()
        }
    }
}
