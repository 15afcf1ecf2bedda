import type { OwnershipKind, RealEstateOwnerRecord, RealEstateUnitRecord, RealEstateUsage } from '../population';
import { partyKey } from '../shared/partyKey';

/**
 * How the exchange platform writes a unit record (see server.ts). Registries are county by
 * county: these counties' software writes dates and areas without padding ("2019年3月5日",
 * "89.5"), and the platform passes that through.
 */
export const COMPACT_COUNTIES: ReadonlySet<string> = new Set(['330302', '330502']);

const USAGE_WORDS: Record<RealEstateUsage, string> = { RESIDENTIAL: '住宅', COMMERCIAL: '商业', OFFICE: '办公', INDUSTRIAL: '工业' };
const OWNERSHIP_WORDS: Record<OwnershipKind, string> = { SOLE: '单独所有', BY_SHARES: '按份共有', JOINT: '共同共有' };
const FEN_PER_WAN = 1_000_000;

/** Integer hundredths -> "89.50", or "89.5" / "89" written compactly. */
function hundredths(n: number, compact: boolean): string {
  const text = `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
  return compact ? text.replace(/\.?0+$/, '') : text;
}

/** ISO date -> "2019年03月05日", or "2019年3月5日" written compactly. */
export function chineseDate(iso: string, compact = false): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  return compact ? `${y}年${Number(m)}月${Number(d)}日` : `${y}年${m}月${d}日`;
}

/** Integer fen -> 万元 as the shortest exact decimal ("120.5", "0.000001"). */
export function fenToWan(fen: number): string {
  const rest = fen % FEN_PER_WAN;
  // Integer division without a float quotient: the difference is an exact multiple of 1,000,000.
  const whole = String((fen - rest) / FEN_PER_WAN);
  const fraction = String(rest).padStart(6, '0').replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

function wireOwner(owner: RealEstateOwnerRecord, kind: OwnershipKind) {
  const base = { zjzl: owner.party.kind === 'PERSON' ? '身份证' : '统一社会信用代码', zjhm: partyKey(owner.party) };
  // Joint owners hold the unit undivided: the registry records no share for them.
  return kind === 'JOINT' ? base : { ...base, fe: `${hundredths(owner.shareBasisPoints, true)}%` };
}

export function wireUnit(u: RealEstateUnitRecord) {
  const compact = COMPACT_COUNTIES.has(u.countyCode);
  return {
    bdcdyh: u.unitNumber,
    bdcqzh: u.certificateNumber,
    zl: u.address,
    xzqdm: u.countyCode,
    yt: USAGE_WORDS[u.usage],
    mj: hundredths(u.floorAreaHundredthsM2, compact),
    gyfs: OWNERSHIP_WORDS[u.ownershipKind],
    qlr: u.owners.map((o) => wireOwner(o, u.ownershipKind)),
    dyxx: u.mortgages.map((m) => ({
      dyqr: m.mortgagee,
      dyje: fenToWan(m.amountFen),
      djrq: chineseDate(m.registeredOn, compact),
      dyqx_end: chineseDate(m.endsOn, compact),
    })),
    djrq: chineseDate(u.registeredOn, compact),
  };
}
