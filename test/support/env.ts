// Per-test-file environment: quiet logs, no metrics output, no Node-version nag from the SDK, no CDK stack traces.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
// CDK apps built by tests record no construct-creation stack traces, as `cdk synth` without --debug: under jest every
// trace goes through its source-map support, about a tenth of an app's build and synth CPU. No test reads them.
const cdkContext = JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}') as Record<string, unknown>;
process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:disable-creation-stack-traces': true, 'aws:cdk:disable-stack-trace': true, ...cdkContext });
