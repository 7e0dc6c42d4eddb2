import type { AppInfo } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { useCall } from '../use-call';
import { ErrorMessage } from './error-message';

const backendLabels: Record<AppInfo['backends'][number]['name'], string> = {
  electron: 'Electron desktop shell',
  'tfjs-node-gpu': 'TensorFlow.js, CUDA GPU',
  webgpu: 'TensorFlow.js, WebGPU (any GPU vendor)',
  'tfjs-node': 'TensorFlow.js, native CPU',
  wasm: 'TensorFlow.js, WebAssembly',
};

/** Version, shell and the compute backends this installation can use (the `app:info` call). */
export const SystemPanel = () => {
  const api = useApi();
  const [info, reload] = useCall(() => api.app.info({}));
  if (info.status === 'loading') return <p className="muted">Reading system information…</p>;
  if (info.status === 'error') return <ErrorMessage error={info.error} onRetry={reload} />;
  const value = info.value;
  return (
    <section aria-labelledby="system-title" className="panel">
      <h2 id="system-title">System</h2>
      <dl className="facts">
        <dt>Version</dt>
        <dd data-testid="app-version">{value.version}</dd>
        <dt>Shell</dt>
        <dd>{value.shell === 'electron' ? 'Desktop (Electron)' : 'Browser mode (loopback host)'}</dd>
        <dt>Platform</dt>
        <dd>
          {value.platform}-{value.arch}, Node {value.nodeVersion}
          {value.electronVersion ? `, Electron ${value.electronVersion}` : ''}
        </dd>
      </dl>
      <h3>Compute backends</h3>
      <table className="table" aria-label="Compute backends">
        <thead>
          <tr>
            <th scope="col">Backend</th>
            <th scope="col">Status</th>
            <th scope="col">Version</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {value.backends.map((b) => (
            <tr key={b.name} data-testid={`backend-${b.name}`}>
              <th scope="row">
                <code>{b.name}</code> <span className="muted">{backendLabels[b.name]}</span>
              </th>
              <td>
                <span className={b.available ? 'badge ok' : 'badge off'}>
                  {b.available ? 'available' : 'unavailable'}
                </span>
              </td>
              <td>{b.version ?? '—'}</td>
              <td className="muted">{b.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};
