// The infra suites, in one jest file so that they share one module registry: aws-cdk-lib and the app's constructs load once,
// and suites that read the same app share one build and synth (test/support/infra-app.ts). Each suite is a module
// test/infra/*.suite.ts with its own describe blocks; cdk-nag.test.ts stays apart (it synthesizes with every validation on).
import './api-stack.suite';
import './app-settings.suite';
import './case-workflows.suite';
import './cfn-spec.suite';
import './channels.suite';
import './checkpoint-scheduler.suite';
import './console-stack.suite';
import './edge.suite';
import './evidence-vault.suite';
import './export-vault.suite';
import './fault-injection.suite';
import './first-day-deploy.suite';
import './letters-feedback.suite';
import './report-projection.suite';
import './retention-job.suite';
import './stateful-stack.suite';
import './triage.suite';
import './webhook-delivery.suite';
