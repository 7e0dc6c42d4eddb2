import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { ApiProvider } from './api-context';
import { App, type ConnectionStatus } from './app';
import { MediaProvider } from './catalog/media-url';
import { pickApi, type PickedApi } from './transport/pick-api';
import './styles/app.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');
const root: Root = createRoot(container);

let connection: ConnectionStatus = 'connecting';
let render: () => void = () => {};
let picked: PickedApi | null = null;

render = () => {
  if (!picked) return; // The launch code is being traded for the token (one loopback round trip).
  if (!picked.ok) {
    root.render(
      <div className="fatal" role="alert">
        <h1>SonoFuse</h1>
        <p>{picked.message}</p>
      </div>,
    );
    return;
  }
  root.render(
    <StrictMode>
      <ApiProvider value={picked.api}>
        <MediaProvider value={picked.mediaUrl}>
          <App transport={picked.kind} connection={picked.kind === 'electron-ipc' ? 'open' : connection} />
        </MediaProvider>
      </ApiProvider>
    </StrictMode>,
  );
};
void pickApi((status) => {
  connection = status;
  render();
}).then((result) => {
  picked = result;
  render();
});
