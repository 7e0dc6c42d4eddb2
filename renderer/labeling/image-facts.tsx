import type { ImageDetail } from '../../shared/contract/index';

/** File, size, groups, split part and the typed metadata of one image. */
export const ImageFacts = ({ detail }: { detail: ImageDetail }) => {
  const rows: Array<[string, string]> = [
    ['File', detail.file],
    [
      'Size',
      `${detail.width} × ${detail.height} ${detail.format.toUpperCase()}${
        detail.sourceFormat !== detail.format ? ` (from ${detail.sourceFormat})` : ''
      }${detail.frame > 0 ? `, frame ${detail.frame}` : ''}`,
    ],
    ['Patient', detail.patient ?? '—'],
    ...(detail.exam ? [['Exam', detail.exam] as [string, string]] : []),
    ['Split', detail.part ?? '—'],
    ...detail.metadata.map((m) => [m.key, String(m.value)] as [string, string]),
  ];
  return (
    <section className="side-section" aria-label="Image details">
      <h3>Details</h3>
      <dl className="facts compact" data-testid="image-facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className="wrap">{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
};
