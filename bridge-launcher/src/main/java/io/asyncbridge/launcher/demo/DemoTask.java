package io.asyncbridge.launcher.demo;

import io.asyncbridge.schemas.CompletionStatus;
import java.util.List;

/**
 * One sample task of the demo: the request it submits, the simulator scenario it asks for (through the
 * {@code X-Simulator-Scenario} header the bridge forwards), and how it is expected to end.
 */
record DemoTask(String taskId, String provider, String method, String path, String body, String scenario,
        String timeout, CompletionStatus expected, String story) {

    /** The request record's JSON; {@code rawOverride} tasks are deliberately invalid requests. */
    String requestJson() {
        StringBuilder json = new StringBuilder("{\"taskId\":\"").append(taskId).append("\",\"provider\":\"")
                .append(provider).append("\",\"method\":").append(method).append(",\"path\":\"").append(path).append('"');
        if (scenario != null) {
            json.append(",\"headers\":{\"X-Simulator-Scenario\":\"").append(scenario).append("\"}");
        }
        if (body != null) {
            json.append(",\"body\":").append(body);
        }
        if (timeout != null) {
            json.append(",\"timeout\":\"").append(timeout).append('"');
        }
        json.append(",\"metadata\":{\"source\":\"bridge-demo\"}}");
        return json.toString();
    }

    static List<DemoTask> samples(String runId) {
        String app = "/applications/9b1c5a6e-0000-4000-8000-000000000001";
        String env = "/environments/666-99999999-zzzz-4444-aaaa-444444444444";
        String copy = "{\"path\":\"/testfoldercopy\",\"tags\":[\"TestFolderCopy\"],\"name\":\"TestFolderCopy\"}";
        String vms = "/subscriptions/s-1/resourceGroups/demo/providers/Simulator/vms/";
        String instances = "/projects/p-1/locations/europe-west1/instances";
        return List.of(
                new DemoTask(runId + "-db-create", "acquia", "\"POST\"", app + "/databases", "{\"name\":\"test_database_1\"}",
                        "duration=4000", null, CompletionStatus.SUCCEEDED, "Acquia: create a database, polled to completion"),
                new DemoTask(runId + "-deploy-lagging", "acquia", "\"POST\"", env + "/artifacts/actions/switch", null,
                        "lag404=1500,poll429=1,duration=3000", null, CompletionStatus.SUCCEEDED,
                        "Acquia: notification 404s for 1.5 s, then one 429 with Retry-After"),
                new DemoTask(runId + "-db-fail", "acquia", "\"POST\"", app + "/databases", "{\"name\":\"taken\"}",
                        "fail,duration=2500", null, CompletionStatus.FAILED, "Acquia: the task fails upstream"),
                new DemoTask(runId + "-never", "acquia", "\"POST\"", app + "/databases", "{\"name\":\"slow\"}",
                        "never", "PT12S", CompletionStatus.TIMED_OUT, "Acquia: never finishes; 12 s deadline"),
                new DemoTask(runId + "-refused", "acquia", "\"POST\"", app + "/databases", "{\"name\":\"!\"}",
                        "reject", null, CompletionStatus.REJECTED, "Acquia: the upstream refuses the request (422)"),
                new DemoTask(runId + "-folder-copy", "documents", "\"POST\"", "/hubs/documents/folders/copy", copy,
                        "duration=2500", null, CompletionStatus.SUCCEEDED, "Cloud Elements: signed webhook on completion"),
                new DemoTask(runId + "-early-webhook", "documents", "\"POST\"", "/hubs/documents/folders/copy", copy,
                        "early", null, CompletionStatus.SUCCEEDED, "Cloud Elements: webhook arrives before the answer"),
                new DemoTask(runId + "-duplicates", "documents", "\"POST\"", "/hubs/documents/folders/copy", copy,
                        "duplicate=3,duration=1500", null, CompletionStatus.SUCCEEDED,
                        "Cloud Elements: webhook delivered 3 times, one completion"),
                new DemoTask(runId + "-copy-fail", "documents", "\"POST\"", "/hubs/documents/folders/copy", copy,
                        "fail,duration=2000", null, CompletionStatus.FAILED, "Cloud Elements: webhook reports an error"),
                new DemoTask(runId + "-vm-create", "azure", "\"PUT\"", vms + "vm-1", "{\"name\":\"vm-1\"}",
                        "duration=3000", null, CompletionStatus.SUCCEEDED,
                        "http-lro (Azure): 202 + Azure-AsyncOperation, polled to Succeeded"),
                new DemoTask(runId + "-vm-see-other", "azure", "\"PUT\"", vms + "vm-2", "{\"name\":\"vm-2\"}",
                        "see-other,poll-retry-after=1,duration=2500", null, CompletionStatus.SUCCEEDED,
                        "http-lro: Retry-After on each answer, then 303 See Other to the VM"),
                new DemoTask(runId + "-vm-cancel", "azure", "\"PUT\"", vms + "vm-3", "{\"name\":\"vm-3\"}",
                        "cancel,duration=2000", null, CompletionStatus.FAILED, "http-lro: the operation is Canceled"),
                new DemoTask(runId + "-instance", "google", "\"POST\"", instances, "{\"name\":\"instance-1\"}",
                        "duration=3500", null, CompletionStatus.SUCCEEDED,
                        "google-lro: AIP-151 operation polled until done, progress from metadata"),
                new DemoTask(runId + "-instance-fail", "google", "\"POST\"", instances, "{\"name\":\"instance-2\"}",
                        "fail,duration=2000", null, CompletionStatus.FAILED, "google-lro: done with an error"),
                new DemoTask(runId + "-invalid", "acquia", "42", "/databases", null, null, null,
                        CompletionStatus.REJECTED, "An invalid request (method 42): dead-lettered and rejected"));
    }
}
