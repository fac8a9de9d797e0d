-- Argo CD health check for glidepath.dev/Release (resource.customizations.health.glidepath.dev_Release).
-- Maps the Release's status to Argo CD's health: Healthy, Progressing, Degraded or Suspended.
hs = {}
if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Glidepath to observe the Release"
  return hs
end
local generation = obj.metadata and obj.metadata.generation or nil
if generation ~= nil and obj.status.observedGeneration ~= nil and obj.status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for Glidepath to observe the latest spec"
  return hs
end
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "InvalidSpec" and condition.status == "True" then
      hs.status = "Degraded"
      hs.message = condition.message
      return hs
    end
  end
end
local phase = obj.status.phase
local message = obj.status.message or phase
if phase == "Healthy" then
  hs.status = "Healthy"
elseif phase == "Paused" or phase == "AwaitingApproval" or phase == "WaitingForWindow" or phase == "Frozen"
    or phase == "AwaitingPromotion" then
  -- Waiting for a person (spec.paused, a manual promote, an approval), a deployment window, a Freeze or an
  -- upstream environment: suspended.
  hs.status = "Suspended"
elseif phase == "Degraded" or phase == "RolledBack" then
  -- RolledBack: traffic is on an older revision than the one in Git until the template changes or is retried.
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
hs.message = message
return hs
