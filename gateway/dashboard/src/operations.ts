/** The dashboard's own operations (the contract's LiveBeds and CapacityBoard are reused as they are). */
import { graphql } from '../../client/generated/gql.js';

export const DashboardCityDocument = graphql(/* GraphQL */ `
  query DashboardCity {
    districts {
      code
      name
      capacity { total occupied available occupancyRate byKind { kind total occupied available } }
      cases { active byTier { tier count } }
      epidemicLevel { level colour name assessedAt }
    }
  }
`);

export const DashboardTiersDocument = graphql(/* GraphQL */ `
  subscription DashboardTiers($district: ID) {
    tierChanged(districtCode: $district) {
      patient { caseCode ward { code name } }
      from
      to
      reason
      at
    }
  }
`);

export const DashboardTrendsDocument = graphql(/* GraphQL */ `
  query DashboardTrends($district: ID!, $days: Int) {
    cityTrends(days: $days) {
      ...DashboardTrend
    }
    district(code: $district) {
      code
      name
      trends(days: $days) {
        ...DashboardTrend
      }
    }
  }

  fragment DashboardTrend on Trends {
    id
    cases { date newCases active byTier { tier count } }
    occupancy { date occupied byKind { kind occupied } }
  }
`);

export const DashboardHelpDocument = graphql(/* GraphQL */ `
  query DashboardHelp($district: ID!) {
    district(code: $district) {
      code
      name
      helpDesk { ...DashboardHelpDesk medianFirstResponseSeconds p90FirstResponseSeconds }
      wards { code name helpDesk { ...DashboardHelpDesk } }
    }
  }

  fragment DashboardHelpDesk on HelpDeskStats {
    open
    unacknowledged
    escalated
    oldestUnacknowledgedAt
  }
`);

export const DashboardHelpChangesDocument = graphql(/* GraphQL */ `
  subscription DashboardHelpChanges($district: ID) {
    helpRequestChanged(districtCode: $district) {
      id
      status
    }
  }
`);
