import BarrageCore
import ChaosGlue
import Encoder
import Foundation
import TestSupport
import Testing

/// `examples/kubernetes/`, checked without a cluster: the manifests parse, the Job is an Indexed batch/v1 Job whose
/// pods are the shards of one attack, and barrage accepts the pods' command line.
@Suite("examples/kubernetes (no cluster)", .timeLimit(.minutes(3)))
struct KubernetesExampleTests {
    static let directory = Paths.directory(of: #filePath) + "/../../examples/kubernetes"

    func manifest(_ name: String) throws -> JSON {
        try ExperimentLoader.loadFile(Self.directory + "/" + name)
    }

    func container(_ job: JSON) throws -> JSON {
        try #require(job["spec"]?["template"]?["spec"]?["containers"]?.array?.first)
    }

    @Test("the attack is an Indexed batch/v1 Job with parallelism = completions = the N of -shard=N")
    func indexedJob() throws {
        let job = try manifest("attack-job.yaml")
        #expect(job["apiVersion"]?.string == "batch/v1")
        #expect(job["kind"]?.string == "Job")
        let spec = try #require(job["spec"])
        #expect(spec["completionMode"]?.string == "Indexed")
        let completions = try #require(spec["completions"]?.number)
        #expect(completions > 1)
        #expect(spec["parallelism"]?.number == completions)
        #expect(spec["template"]?["spec"]?["restartPolicy"]?.string == "Never")
        let c = try container(job)
        #expect(c["command"]?.array?.compactMap(\.string) == ["barrage"])
        let argValues = try #require(c["args"]?.array)
        let args = argValues.compactMap(\.string)
        #expect(args.first == "attack")
        #expect(args.contains("-shard=\(Int(completions))"))
        #expect(args.contains("-start-at=START_AT"))
        // Each pod writes its own file on the shared results volume.
        let output = try #require(args.first { $0.hasPrefix("-output=") })
        #expect(output.contains("$(JOB_COMPLETION_INDEX)"))
        let mounts = try #require(c["volumeMounts"]?.array)
        let resultsMount = try #require(mounts.first { $0["name"]?.string == "results" })
        let mountPath = try #require(resultsMount["mountPath"]?.string)
        #expect(output.hasPrefix("-output=" + mountPath + "/"))
        let env = try #require(c["env"]?.array)
        #expect(env.contains { $0["name"]?.string == "JOB_COMPLETION_INDEX" })
        let volumes = try #require(job["spec"]?["template"]?["spec"]?["volumes"]?.array)
        let results = try #require(volumes.first { $0["name"]?.string == "results" })
        let claim = try #require(results["persistentVolumeClaim"]?["claimName"]?.string)
        let pvc = try manifest("results-pvc.yaml")
        #expect(pvc["kind"]?.string == "PersistentVolumeClaim")
        #expect(pvc["metadata"]?["name"]?.string == claim)
        #expect(pvc["spec"]?["accessModes"]?.array?.compactMap(\.string) == ["ReadWriteMany"])
        let targets = try manifest("targets-configmap.yaml")
        let configMap = try #require(volumes.first { $0["name"]?.string == "targets" }?["configMap"]?["name"]?.string)
        #expect(targets["metadata"]?["name"]?.string == configMap)
        #expect(targets["data"]?["targets.http"]?.string?.hasPrefix("GET http") == true)
        let collector = try manifest("collect-pod.yaml")
        #expect(collector["kind"]?.string == "Pod")
    }

    @Test("barrage accepts the pods' command line, index from JOB_COMPLETION_INDEX (up to the start time check)")
    func commandLineParses() throws {
        let job = try manifest("attack-job.yaml")
        let argValues = try #require(try container(job)["args"]?.array)
        let args = argValues.compactMap(\.string)
        let targets = try manifest("targets-configmap.yaml")
        let dir = makeTempDirectory()
        writeFile(dir + "/targets.http", try #require(targets["data"]?["targets.http"]?.string))
        writeFile(dir + "/cart.json", try #require(targets["data"]?["cart.json"]?.string))
        // The pod's paths made local, and a START_AT already an hour past: everything before that check must pass.
        let local = args.map {
            $0.replacingOccurrences(of: "/config/", with: dir + "/")
                .replacingOccurrences(of: "/results/", with: dir + "/")
                .replacingOccurrences(of: "$(JOB_COMPLETION_INDEX)", with: "1")
                .replacingOccurrences(
                    of: "START_AT", with: Timestamp.now().adding(nanoseconds: -3_600_000_000_000).rfc3339Nano)
        }
        var environment = ChildProcess.currentEnvironment().filter { !$0.hasPrefix("JOB_COMPLETION_INDEX=") }
        environment.append("JOB_COMPLETION_INDEX=1")
        let p = try #require(ChildProcess([Paths.barrage] + local, environment: environment))
        p.closeStdin()
        let (status, _, err) = p.finish()
        let stderr = String(decoding: err, as: UTF8.self)
        #expect(status == 2)
        #expect(stderr.contains("for flag -start-at: "), "\(stderr)")
        #expect(stderr.contains("passed 1h0m0"), "\(stderr)")
    }
}
