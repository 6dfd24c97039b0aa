/**
 * Renders the rule annotations the way Prometheus does for the simple `{{ $labels.x }}` form,
 * so the test can say the notification carries the real texts, not just some text.
 */
export function renderAnnotation(template: string, labels: Readonly<Record<string, string>>): string {
  const rendered = template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '');
  if (rendered.includes('{{')) throw new Error(`template form not handled by the test: ${template}`);
  return rendered;
}
