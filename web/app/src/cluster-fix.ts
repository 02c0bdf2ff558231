// A fix for vis-timeline 8.5's clustering with a `clusterCriteria` (ClusterGenerator.getClusters).
//
// Upstream, a crowded item gathers the next `num` items that meet the criteria into a cluster, then skips
// `num` positions. When items that do not meet the criteria lie among them (events dated to a month, drawn
// as bands, among events on known days), the skip lands inside the cluster: items already clustered are
// visited again and clustered or drawn a second time (a "6" and a "3" badge over the same nine events,
// three of which also show on their own), and the bands skipped over lose their place. This version
// keeps the algorithm and marks what each cluster takes, so every item is either drawn or in exactly
// one cluster. The class is not exported, so the method is replaced on the prototype of the instance the
// timeline created (the same for every timeline on the page).

/* eslint-disable @typescript-eslint/no-explicit-any */

let patched = false;

export function patchClustering(timeline: any): void {
  const generator = timeline?.itemSet?.clusterGenerator;
  if (patched || !generator) return;
  const proto = Object.getPrototypeOf(generator);
  if (typeof proto.getClusters !== "function" || typeof proto._getClusterForItems !== "function") return;
  patched = true;
  proto.getClusters = getClusters;
}

function getClusters(this: any, oldClusters: any[], scale: number, options: any): any[] {
  let { maxItems, clusterCriteria } = typeof options === "boolean" ? ({} as any) : options;
  if (!clusterCriteria) clusterCriteria = () => true;
  maxItems = maxItems || 1;
  let level = -1;
  const granularity = 2;
  let timeWindow = 0;
  if (scale > 0) {
    if (scale >= 1) return [];
    level = Math.abs(Math.round(Math.log(100 / scale) / Math.log(granularity)));
    timeWindow = Math.abs(Math.pow(granularity, level));
  }
  if (this.dataChanged) {
    const levelChanged = level != this.cacheLevel;
    const applyDataNow = this.applyOnChangedLevel ? levelChanged : true;
    if (applyDataNow) {
      this._dropLevelsCache();
      this._filterData();
    }
  }
  this.cacheLevel = level;
  let clusters = this.cache[level];
  if (clusters) return clusters;
  clusters = [];
  for (const groupName of Object.keys(this.groups)) {
    const items = this.groups[groupName];
    const taken = new Set<any>();
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (taken.has(item)) continue;
      // An item that cannot be clustered (the criteria refuse it even with itself) is drawn as it is.
      if (!clusterCriteria(item.data, item.data)) {
        delete item.cluster;
        continue;
      }
      let neighbors = 1;
      for (let j = i - 1; j >= 0 && item.center - items[j].center < timeWindow / 2; j--) {
        if (!taken.has(items[j]) && !items[j].cluster && clusterCriteria(item.data, items[j].data)) neighbors++;
      }
      for (let k = i + 1; k < items.length && items[k].center - item.center < timeWindow / 2; k++) {
        if (clusterCriteria(item.data, items[k].data)) neighbors++;
      }
      for (let l = clusters.length - 1; l >= 0 && item.center - clusters[l].center < timeWindow; l--) {
        if (item.group == clusters[l].group && clusterCriteria(item.data, clusters[l].data)) neighbors++;
      }
      if (neighbors <= maxItems) {
        delete item.cluster;
        continue;
      }
      const num = neighbors - maxItems + 1;
      const clusterItems: any[] = [];
      for (let m = i; clusterItems.length < num && m < items.length; m++) {
        if (!taken.has(items[m]) && clusterCriteria(item.data, items[m].data)) clusterItems.push(items[m]);
      }
      for (const x of clusterItems) taken.add(x);
      const groupId = this.itemSet.getGroupId(item.data);
      const group = this.itemSet.groups[groupId] || this.itemSet.groups["__ungrouped__"];
      clusters.push(this._getClusterForItems(clusterItems, group, oldClusters, options));
    }
  }
  this.cache[level] = clusters;
  return clusters;
}
