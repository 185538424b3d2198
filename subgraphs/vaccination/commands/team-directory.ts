/**
 * Which team a home visit is given to. Workforce owns teams and publishes no event about them, and
 * vaccination may not read the workforce schema: the graph is the one source both trust. Before
 * an assignment is written, vaccination asks the gateway (as an internal client with the least
 * role that may read teams, PARTNER) for the team's kind and ward, so that only a home-vaccination
 * team serving the resident's district is assigned and the writer's jurisdiction over that ward
 * can be checked. When no answer can be had the assignment is refused (SERVICE_UNAVAILABLE)
 * rather than taken on trust.
 */
import type { Config } from '../../common/config.js';
import type { Logger } from '../../common/log.js';
import { GatewayLookup } from '../../common/internal-documents.js';

export const TEAM_DIRECTORY = 'team-directory';

/** Sent by id (registered in the trusted-documents manifest). */
export const TEAM = `query VaccinationTeam($id: ID!) { team(id: $id) { id kind wardCode } }`;

export interface TeamPlace {
  id: string;
  kind: string;
  wardCode: string;
}

export class TeamDirectory extends GatewayLookup {
  constructor(config: Config, log: Logger) {
    super(config, log, 'system:vaccination-team-directory');
  }

  /** The team's kind and ward; null when workforce does not know the id. */
  async find(teamId: string, requestId: string): Promise<TeamPlace | null> {
    const { team } = await this.query<{ team: TeamPlace | null }>(TEAM, { id: teamId }, requestId, 'team');
    return team;
  }
}
